namespace EdgeVoice.Asr;

/// <summary>
/// The streaming state of one utterance in the encoder of a <see cref="TransducerModel"/>: the seven tensors
/// of training/model.py's <c>Encoder.init_state</c>, all zero at the start. Layouts are time-major where
/// PyTorch's are channel-major (noted per field); the values are the same. Not thread-safe: one per stream.
/// </summary>
public sealed class EncoderState
{
    private float _count;

    internal EncoderState(TransducerModel model)
    {
        var d = model.Dimensions;
        SubsamplingCache1 = new float[2 * d.NumMelBins];
        SubsamplingCache2 = new float[2 * d.SubsamplingChannels * d.SubsamplingBins1];
        ConvBlockCache = new float[(d.ConvKernel - 1) * d.EncoderDim];
        GlobalSum = new float[d.EncoderDim];
        LstmHidden = new float[d.LstmLayers * d.LstmHidden];
        LstmCell = new float[d.LstmLayers * d.LstmHidden];
    }

    /// <summary>State 0, <c>subsampling.cache1</c>: the last 2 CMVN-normalised feature frames, <c>[2, mel]</c>.</summary>
    public float[] SubsamplingCache1 { get; }

    /// <summary>State 1, <c>subsampling.cache2</c>: the last 2 frames of conv1 after ReLU, time-major <c>[2, C, F1]</c> (PyTorch: <c>(C, 2, F1)</c>).</summary>
    public float[] SubsamplingCache2 { get; }

    /// <summary>State 2, <c>conv_block.cache</c>: the last K−1 LayerNorm outputs, time-major <c>[K−1, D]</c> (PyTorch: <c>(D, K−1)</c>).</summary>
    public float[] ConvBlockCache { get; }

    /// <summary>State 3, <c>global_block.sum</c>: running sum of the global block's LayerNorm outputs, <c>[D]</c>.</summary>
    public float[] GlobalSum { get; }

    /// <summary>State 4, <c>global_block.count</c>: frames summed so far (a float, as PyTorch keeps it).</summary>
    public float GlobalCount => _count;

    /// <summary>State 5, <c>lstm.h</c>: <c>[layers, H]</c>.</summary>
    public float[] LstmHidden { get; }

    /// <summary>State 6, <c>lstm.c</c>: <c>[layers, H]</c>.</summary>
    public float[] LstmCell { get; }

    /// <summary>Encoder frames produced so far.</summary>
    public int FramesOut { get; internal set; }

    internal ref float GlobalCountRef => ref _count;

    /// <summary>Sets every tensor back to zero, ready for a new utterance.</summary>
    public void Reset()
    {
        Array.Clear(SubsamplingCache1);
        Array.Clear(SubsamplingCache2);
        Array.Clear(ConvBlockCache);
        Array.Clear(GlobalSum);
        Array.Clear(LstmHidden);
        Array.Clear(LstmCell);
        _count = 0;
        FramesOut = 0;
    }
}
