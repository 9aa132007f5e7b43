namespace EdgeVoice.Nn;

/// <summary>
/// The tensors a convrnnt-v1 model file must hold, by PyTorch state_dict name, with the shape each must
/// have for given <see cref="ModelDimensions"/> (training/model.py:Transducer). Files exported before the
/// LayerNorm in front of the LSTM (commit ac11d74) lack <see cref="EncoderNormWeight"/> and its bias;
/// <paramref name="encoderNorm"/> says which variant to expect.
/// </summary>
internal static class ConvRnntTensorLayout
{
    /// <summary>γ of the LayerNorm before the LSTM (docs/model-format.md, network step 5).</summary>
    public const string EncoderNormWeight = "encoder.norm.weight";

    /// <summary>β of the LayerNorm before the LSTM.</summary>
    public const string EncoderNormBias = "encoder.norm.bias";

    public static IReadOnlyList<(string Name, long[] Shape)> Expected(ModelDimensions d, bool encoderNorm)
    {
        long mel = d.NumMelBins, ch = d.SubsamplingChannels, enc = d.EncoderDim, h = d.LstmHidden;
        long dec = d.DecoderDim, join = d.JoinerDim, vocab = d.VocabSize;
        var list = new List<(string, long[])>
        {
            ("cmvn.mean", [mel]),
            ("cmvn.std", [mel]),
            ("encoder.subsampling.conv1.weight", [ch, 1, 3, 3]),
            ("encoder.subsampling.conv1.bias", [ch]),
            ("encoder.subsampling.conv2.weight", [ch, ch, 3, 3]),
            ("encoder.subsampling.conv2.bias", [ch]),
            ("encoder.subsampling.out.weight", [enc, ch * d.SubsamplingBins2]),
            ("encoder.subsampling.out.bias", [enc]),
            ("encoder.conv_block.norm.weight", [enc]),
            ("encoder.conv_block.norm.bias", [enc]),
            ("encoder.conv_block.depthwise.weight", [enc, 1, d.ConvKernel]),
            ("encoder.conv_block.depthwise.bias", [enc]),
            ("encoder.conv_block.pointwise.weight", [enc, enc]),
            ("encoder.conv_block.pointwise.bias", [enc]),
            ("encoder.global_block.norm.weight", [enc]),
            ("encoder.global_block.norm.bias", [enc]),
            ("encoder.global_block.gate.weight", [enc, enc]),
            ("encoder.global_block.gate.bias", [enc]),
            ("encoder.global_block.proj.weight", [enc, enc]),
            ("encoder.global_block.proj.bias", [enc]),
        };
        if (encoderNorm)
        {
            list.Add((EncoderNormWeight, [enc]));
            list.Add((EncoderNormBias, [enc]));
        }

        for (int l = 0; l < d.LstmLayers; l++)
        {
            list.Add(($"encoder.lstm.weight_ih_l{l}", [4 * h, l == 0 ? enc : h]));
            list.Add(($"encoder.lstm.weight_hh_l{l}", [4 * h, h]));
            list.Add(($"encoder.lstm.bias_ih_l{l}", [4 * h]));
            list.Add(($"encoder.lstm.bias_hh_l{l}", [4 * h]));
        }

        list.Add(("predictor.embedding.weight", [vocab, dec]));
        list.Add(("predictor.conv.weight", [dec, 1, d.ContextSize]));
        list.Add(("joiner.encoder_proj.weight", [join, h]));
        list.Add(("joiner.encoder_proj.bias", [join]));
        list.Add(("joiner.decoder_proj.weight", [join, dec]));
        list.Add(("joiner.decoder_proj.bias", [join]));
        list.Add(("joiner.output.weight", [vocab, join]));
        list.Add(("joiner.output.bias", [vocab]));
        return list;
    }
}
