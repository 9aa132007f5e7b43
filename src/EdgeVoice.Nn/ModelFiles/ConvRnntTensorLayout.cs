namespace EdgeVoice.Nn;

/// <summary>
/// The tensors a convrnnt-v1 model file must hold, by PyTorch state_dict name, with the shape each must
/// have for given <see cref="ModelDimensions"/> (training/model.py:Transducer). Two encoder pieces are optional,
/// because files exported before they were added still load: the LayerNorm in front of the LSTM
/// (<c>encoder.norm</c>, commit ac11d74) and the linear path around the LSTM (<c>encoder.skip</c>,
/// Linear(encoder_dim → lstm_hidden) of the LSTM input, added to the LSTM output).
/// </summary>
internal static class ConvRnntTensorLayout
{
    /// <summary>Prefix of the LayerNorm before the LSTM.</summary>
    public const string EncoderNorm = "encoder.norm";

    /// <summary>Prefix of the linear path around the LSTM.</summary>
    public const string EncoderSkip = "encoder.skip";

    public static IReadOnlyList<(string Name, long[] Shape)> Expected(ModelDimensions d, bool encoderNorm, bool encoderSkip)
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
            list.Add((EncoderNorm + ".weight", [enc]));
            list.Add((EncoderNorm + ".bias", [enc]));
        }

        if (encoderSkip)
        {
            list.Add((EncoderSkip + ".weight", [h, enc]));
            list.Add((EncoderSkip + ".bias", [h]));
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
