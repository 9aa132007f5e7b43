namespace EdgeVoice.Nn;

/// <summary>
/// The validated contents of a model file without architecture checks (see <see cref="ModelFile.LoadContainer"/>):
/// its metadata JSON and its tensors. Networks other than the transducer (language models) read their files this way.
/// </summary>
public sealed class ModelContainer
{
    private readonly Dictionary<string, ModelTensor> _tensors;

    internal ModelContainer(string path, string metadataJson, Dictionary<string, ModelTensor> tensors, List<string> order)
    {
        Path = path;
        MetadataJson = metadataJson;
        _tensors = tensors;
        TensorNames = order;
    }

    /// <summary>The file's format version (1: float32 only; 2: may hold int8 and block-sparse int8 tensors).</summary>
    public int FormatVersion { get; internal init; }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    /// <summary>The metadata, as the UTF-8 JSON text stored in the file.</summary>
    public string MetadataJson { get; }

    /// <summary>Tensor names in file order.</summary>
    public IReadOnlyList<string> TensorNames { get; }

    /// <summary>Tensors by name.</summary>
    public IReadOnlyDictionary<string, ModelTensor> Tensors => _tensors;

    /// <summary>The tensor called <paramref name="name"/>.</summary>
    /// <exception cref="ModelFormatException">No such tensor; the message names the file.</exception>
    public ModelTensor GetTensor(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _tensors.TryGetValue(name, out ModelTensor? tensor)
            ? tensor
            : throw new ModelFormatException(Path, [$"has no tensor '{name}'"], "Re-export the model with the script that wrote it.");
    }
}
