namespace EdgeVoice.Nn;

/// <summary>
/// The sizes of a convrnnt-v1 network: the "model" object of a model file's metadata, whose fields are
/// training/params.py's <c>Params.MODEL_FIELDS</c> (the recipe's defaults are quoted on each property).
/// </summary>
public sealed class ModelDimensions
{
    /// <summary>Mel bins of the input features (80).</summary>
    public required int NumMelBins { get; init; }

    /// <summary>Channels of both stride-2 Conv2d layers (64).</summary>
    public required int SubsamplingChannels { get; init; }

    /// <summary>Width after subsampling and in the conv and global blocks (256).</summary>
    public required int EncoderDim { get; init; }

    /// <summary>Kernel of the causal depthwise Conv1d of the local block (8).</summary>
    public required int ConvKernel { get; init; }

    /// <summary>Hidden size of every encoder LSTM layer (320).</summary>
    public required int LstmHidden { get; init; }

    /// <summary>Number of encoder LSTM layers (3).</summary>
    public required int LstmLayers { get; init; }

    /// <summary>Embedding width of the stateless prediction network (256).</summary>
    public required int DecoderDim { get; init; }

    /// <summary>Tokens the prediction network sees (2).</summary>
    public required int ContextSize { get; init; }

    /// <summary>Width of the joiner's hidden layer (256).</summary>
    public required int JoinerDim { get; init; }

    /// <summary>Output vocabulary, blank included (256).</summary>
    public required int VocabSize { get; init; }

    /// <summary>Id of the transducer blank (0).</summary>
    public required int BlankId { get; init; }

    /// <summary>Input frames per encoder output frame (4).</summary>
    public required int SubsamplingFactor { get; init; }

    /// <summary>Default streaming chunk in encoder output frames (8 = 320 ms).</summary>
    public required int ChunkSize { get; init; }

    /// <summary>Frequency bins after the first Conv2d: <c>(NumMelBins − 3) / 2 + 1</c>.</summary>
    public int SubsamplingBins1 => Conv2dStride2.OutputBins(NumMelBins);

    /// <summary>Frequency bins after the second Conv2d.</summary>
    public int SubsamplingBins2 => Conv2dStride2.OutputBins(SubsamplingBins1);

    /// <inheritdoc/>
    public override string ToString() =>
        $"mel {NumMelBins}, subsampling {SubsamplingChannels}ch/{SubsamplingFactor}x, encoder {EncoderDim} (conv kernel {ConvKernel}), " +
        $"LSTM {LstmLayers}x{LstmHidden}, decoder {DecoderDim} (context {ContextSize}), joiner {JoinerDim}, vocab {VocabSize} (blank {BlankId}), chunk {ChunkSize}";
}
