namespace EdgeVoice.Nn;

/// <summary>
/// What a model file says about its model, typed: architecture, sizes, feature options and tokenizer.
/// The untyped JSON (training history, scores, …) stays available as <see cref="Json"/>.
/// </summary>
public sealed class ModelMetadata
{
    /// <summary>The architecture this runtime knows.</summary>
    public const string ConvRnntV1 = "convrnnt-v1";

    /// <summary>Architecture name (<see cref="ConvRnntV1"/>).</summary>
    public required string Architecture { get; init; }

    /// <summary>Model name chosen at export (empty when absent).</summary>
    public required string Name { get; init; }

    /// <summary>Network sizes.</summary>
    public required ModelDimensions Dimensions { get; init; }

    /// <summary>Filterbank options the model was trained with.</summary>
    public required ModelFeatureOptions Features { get; init; }

    /// <summary>Tokenizer pieces by id (<c>VocabSize</c> entries; the blank's piece is at <see cref="BlankId"/>).</summary>
    public required IReadOnlyList<string> Tokens { get; init; }

    /// <summary>
    /// Epsilon of every LayerNorm: metadata <c>layer_norm_eps</c>, or PyTorch's default 1e-5
    /// (<see cref="LayerNormalization.DefaultEpsilon"/>) when the exporter did not record it.
    /// </summary>
    public float LayerNormEpsilon { get; init; } = LayerNormalization.DefaultEpsilon;

    /// <summary>
    /// What metadata <c>encoder_norm</c> says about the LayerNorm before the LSTM, or null when the exporter did not
    /// record it (then the tensors decide: <see cref="ModelFile.HasEncoderNorm"/>).
    /// </summary>
    public bool? DeclaredEncoderNorm { get; init; }

    /// <summary>
    /// What metadata <c>encoder_skip</c> says about the linear path around the LSTM, or null when the exporter did
    /// not record it (then the tensors decide: <see cref="ModelFile.HasEncoderSkip"/>).
    /// </summary>
    public bool? DeclaredEncoderSkip { get; init; }

    /// <summary>The metadata exactly as stored (UTF-8 JSON).</summary>
    public required string Json { get; init; }

    /// <summary>Id of the transducer blank.</summary>
    public int BlankId => Dimensions.BlankId;

    /// <summary>Input frames per encoder output frame.</summary>
    public int SubsamplingFactor => Dimensions.SubsamplingFactor;

    /// <summary>Default streaming chunk, in encoder output frames.</summary>
    public int ChunkSize => Dimensions.ChunkSize;

    /// <summary>Tokens the prediction network sees.</summary>
    public int ContextSize => Dimensions.ContextSize;

    /// <summary>Vocabulary size, blank included.</summary>
    public int VocabSize => Dimensions.VocabSize;
}
