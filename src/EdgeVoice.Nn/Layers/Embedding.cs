namespace EdgeVoice.Nn;

/// <summary>PyTorch <c>nn.Embedding</c>: row <c>token</c> of a <c>[vocabulary, dim]</c> table. Immutable.</summary>
public sealed class Embedding
{
    private readonly ReadOnlyMemory<float> _table;

    /// <summary>Wraps the table (not copied).</summary>
    public Embedding(ReadOnlyMemory<float> table, int vocabularySize, int dim)
    {
        Guard.Positive(vocabularySize, nameof(vocabularySize));
        Guard.Positive(dim, nameof(dim));
        Guard.Length(table.Length, (long)vocabularySize * dim, nameof(table));
        _table = table;
        VocabularySize = vocabularySize;
        Dim = dim;
    }

    /// <summary>Number of rows.</summary>
    public int VocabularySize { get; }

    /// <summary>Width of a row.</summary>
    public int Dim { get; }

    /// <summary>Builds the layer from <c>{prefix}.weight</c> of a model file.</summary>
    public static Embedding FromModel(ModelFile model, string prefix)
    {
        ArgumentNullException.ThrowIfNull(model);
        ModelTensor table = model.GetTensor(prefix + ".weight");
        return new Embedding(table.Data, table.Shape[0], table.Shape[1]);
    }

    /// <summary>The row of <paramref name="token"/>.</summary>
    public ReadOnlySpan<float> this[int token]
    {
        get
        {
            if ((uint)token >= (uint)VocabularySize)
            {
                throw new ArgumentOutOfRangeException(nameof(token), token, $"Token ids lie in [0, {VocabularySize}).");
            }

            return _table.Span.Slice(token * Dim, Dim);
        }
    }

    /// <summary>Copies the row of <paramref name="token"/> into <paramref name="destination"/> (<see cref="Dim"/> floats).</summary>
    public void Lookup(int token, Span<float> destination)
    {
        Guard.Length(destination.Length, Dim, nameof(destination));
        this[token].CopyTo(destination);
    }
}
