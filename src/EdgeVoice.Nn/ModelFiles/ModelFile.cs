using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace EdgeVoice.Nn;

/// <summary>
/// A loaded EdgeVoice model file (.evm, format version 1 or 2, written by training/model_file.py or
/// <see cref="ModelFileWriter"/>): typed metadata and tensors by PyTorch state_dict name. The file is read once into
/// one 64-byte aligned pinned buffer; every tensor (float32, int8 or block-sparse int8) is a slice of it, so
/// nothing is copied. Immutable and shareable between streams.
/// </summary>
/// <example>
/// <code>
/// ModelFile model = ModelFile.Load("models/convrnnt-small.evm");
/// int vocab = model.Metadata.VocabSize;
/// Linear joinerOut = Linear.FromModel(model, "joiner.output");
/// </code>
/// </example>
public sealed class ModelFile
{
    private readonly Dictionary<string, ModelTensor> _tensors;

    private ModelFile(string path, ModelMetadata metadata, Dictionary<string, ModelTensor> tensors, IReadOnlyList<string> order)
    {
        Path = path;
        Metadata = metadata;
        _tensors = tensors;
        TensorNames = order;
        HasEncoderNorm = tensors.ContainsKey(ConvRnntTensorLayout.EncoderNorm + ".weight");
        HasEncoderSkip = tensors.ContainsKey(ConvRnntTensorLayout.EncoderSkip + ".weight");
    }

    /// <summary>The newest format version this reader understands (it reads every version from 1 up to it).</summary>
    public static int SupportedFormatVersion => (int)ModelFileLayout.FormatVersion2;

    /// <summary>The file's format version (1: float32 only; 2: may hold int8 and block-sparse int8 tensors).</summary>
    public int FormatVersion { get; private init; }

    /// <summary>The file the model came from.</summary>
    public string Path { get; }

    /// <summary>Typed metadata.</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>Tensor names in file order.</summary>
    public IReadOnlyList<string> TensorNames { get; }

    /// <summary>
    /// Whether the encoder has the LayerNorm <c>encoder.norm</c> between the global block and the LSTM
    /// (docs/model-format.md, network step 5). Files exported before it was added (commit ac11d74) do not, and
    /// still load: their encoder goes straight from the global block to the LSTM. Decided by the tensors, checked
    /// against metadata <c>encoder_norm</c> when the exporter recorded it.
    /// </summary>
    public bool HasEncoderNorm { get; }

    /// <summary>
    /// Whether the encoder has the linear path <c>encoder.skip</c> around the LSTM: the encoder output is
    /// <c>LSTM(z) + skip(z)</c>, z the LSTM's input. Files exported before it was added do not. Decided by the
    /// tensors, checked against metadata <c>encoder_skip</c> when the exporter recorded it.
    /// </summary>
    public bool HasEncoderSkip { get; }

    /// <summary>Tensors by name.</summary>
    public IReadOnlyDictionary<string, ModelTensor> Tensors => _tensors;

    /// <summary>Reads and validates a model file; see docs/engine.md for every check.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelFormatException">The file is not a valid model file for this runtime; the message says why and what to do.</exception>
    public static ModelFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Model file '{path}' does not exist. Export one with: /usr/bin/python3 training/export.py --checkpoint <checkpoint.pt> --output {path}",
                path);
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Model files store little-endian floats; this runtime needs a little-endian CPU.");
        }

        (float[] store, int start, int length) = ReadAligned(path);
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(store.AsSpan(start)).Slice(0, length);
        (string json, List<ModelTensorEntry> entries, uint version) = ReadContainer(path, bytes);

        var problems = new List<string>();
        ModelMetadata? metadata = ModelMetadataReader.Read(json, problems);
        (Dictionary<string, ModelTensor> tensors, List<string> order) = BuildTensors(store, start, entries, problems);

        if (metadata is not null)
        {
            CheckArchitecture(metadata, tensors, problems);
        }

        CheckValues(tensors, problems);
        if (problems.Count > 0)
        {
            throw new ModelFormatException(path, problems, ModelFileLayout.ReExportFix);
        }

        return new ModelFile(path, metadata!, tensors, order) { FormatVersion = (int)version };
    }

    /// <summary>
    /// Reads a model file's container (magic, version, checksum, tensor table, finite values) without checking it
    /// against the transducer architecture: for other networks stored in the same format (language models).
    /// The caller checks the metadata and tensors it needs.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelFormatException">The container is invalid; the message says why.</exception>
    public static ModelContainer LoadContainer(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        }

        (float[] store, int start, int length) = ReadAligned(path);
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(store.AsSpan(start)).Slice(0, length);
        (string json, List<ModelTensorEntry> entries, uint version) = ReadContainer(path, bytes);
        var problems = new List<string>();
        (Dictionary<string, ModelTensor> tensors, List<string> order) = BuildTensors(store, start, entries, problems);
        CheckValues(tensors, problems);
        if (problems.Count > 0)
        {
            throw new ModelFormatException(path, problems, ModelFileLayout.ReExportFix);
        }

        return new ModelContainer(path, json, tensors, order) { FormatVersion = (int)version };
    }

    /// <summary>The tensor called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such tensor; the message names the file.</exception>
    public ModelTensor GetTensor(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _tensors.TryGetValue(name, out ModelTensor? tensor)
            ? tensor
            : throw new KeyNotFoundException($"Model file '{Path}' has no tensor '{name}'.");
    }

    /// <summary>The tensor called <paramref name="name"/>, if present.</summary>
    public bool TryGetTensor(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ModelTensor? tensor) =>
        _tensors.TryGetValue(name, out tensor);

    private static (float[] Store, int Start, int Length) ReadAligned(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        long size = stream.Length;
        const int alignFloats = ModelFileLayout.Alignment / sizeof(float);
        if (size > (long)(Array.MaxLength - alignFloats - 1) * sizeof(float))
        {
            throw new ModelFormatException(path, [$"is {size} bytes, larger than this reader supports"], "Split or shrink the model.");
        }

        int length = (int)size;
        var store = GC.AllocateUninitializedArray<float>(((length + 3) / 4) + alignFloats, pinned: true);
        int start = AlignedStart(store);
        Span<byte> target = MemoryMarshal.AsBytes(store.AsSpan(start)).Slice(0, length);
        stream.ReadExactly(target);
        return (store, start, length);
    }

    private static unsafe int AlignedStart(float[] pinned)
    {
        fixed (float* p = pinned)
        {
            int misalignment = (int)((nuint)p % ModelFileLayout.Alignment);
            return misalignment == 0 ? 0 : (ModelFileLayout.Alignment - misalignment) / sizeof(float);
        }
    }

    private static (string Json, List<ModelTensorEntry> Entries, uint Version) ReadContainer(string path, ReadOnlySpan<byte> bytes)
    {
        const string notModelFix = "Pass a .evm file written by training/export.py. " + ModelFileLayout.ReExportFix;
        if (bytes.Length < ModelFileLayout.Magic.Length || !bytes[..ModelFileLayout.Magic.Length].SequenceEqual(ModelFileLayout.Magic))
        {
            throw Fail(path, "is not an EdgeVoice model file (it does not start with the magic bytes \"EVMODEL\\0\")", notModelFix);
        }

        var cursor = new ByteCursor(bytes, ModelFileLayout.Magic.Length);
        if (!cursor.TryReadUInt32(out uint version) || !cursor.TryReadUInt32(out uint metaLength))
        {
            throw Fail(path, $"is truncated: it has {bytes.Length} bytes, which end inside the header", ModelFileLayout.ReExportFix);
        }

        if (version < ModelFileLayout.FormatVersion)
        {
            throw Fail(path, $"uses format version {version}, older than version {ModelFileLayout.FormatVersion} which this runtime reads", ModelFileLayout.ReExportFix);
        }

        if (version > ModelFileLayout.FormatVersion2)
        {
            throw Fail(
                path,
                $"uses format version {version}, newer than version {ModelFileLayout.FormatVersion2} which this runtime reads",
                "Update EdgeVoice to a release that reads it, or re-export the model with this checkout's recipe: /usr/bin/python3 training/export.py --checkpoint <checkpoint.pt> --output <model.evm>");
        }

        var problems = new List<string>();
        var entries = new List<ModelTensorEntry>();
        bool complete = TryReadTable(ref cursor, metaLength, entries, problems, out ReadOnlySpan<byte> metaBytes);
        int tableEnd = cursor.Position;
        ulong dataEnd = (ulong)tableEnd;
        foreach (ModelTensorEntry e in entries)
        {
            dataEnd = Math.Max(dataEnd, e.End);
        }

        ulong expectedLength = dataEnd + ModelFileLayout.ChecksumLength;
        bool checksumOk = bytes.Length >= ModelFileLayout.HeaderLength + ModelFileLayout.ChecksumLength
            && SHA256.HashData(bytes[..^ModelFileLayout.ChecksumLength]).AsSpan().SequenceEqual(bytes[^ModelFileLayout.ChecksumLength..]);
        if (!checksumOk)
        {
            if (!complete || (ulong)bytes.Length < expectedLength)
            {
                string need = complete ? $"its tensor table needs {expectedLength}" : "its header and tensor table run past the end";
                throw Fail(path, $"is truncated: it has {bytes.Length} bytes but {need}", "Copy or download the file again. " + ModelFileLayout.ReExportFix);
            }

            throw Fail(path, "is corrupt: the SHA-256 of its contents does not match the checksum stored at its end", "Copy or download the file again. " + ModelFileLayout.ReExportFix);
        }

        if (!complete)
        {
            throw Fail(path, "is malformed: its checksum is valid but its header or tensor table runs past the data", ModelFileLayout.ReExportFix);
        }

        if ((ulong)bytes.Length != expectedLength)
        {
            problems.Add($"has {(ulong)bytes.Length - expectedLength} bytes after the last tensor that no table entry accounts for");
        }

        CheckEntries(entries, (ulong)tableEnd, version, problems);
        string json = "";
        try
        {
            json = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(metaBytes);
        }
        catch (DecoderFallbackException)
        {
            problems.Add("the metadata is not valid UTF-8");
        }

        if (problems.Count > 0)
        {
            throw new ModelFormatException(path, problems, ModelFileLayout.ReExportFix);
        }

        return (json, entries, version);
    }

    private static bool TryReadTable(
        ref ByteCursor cursor, uint metaLength, List<ModelTensorEntry> entries, List<string> problems, out ReadOnlySpan<byte> metaBytes)
    {
        if (!cursor.TryReadBytes(metaLength, out metaBytes) || !cursor.TryReadUInt32(out uint count))
        {
            return false;
        }

        var utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);
        for (uint i = 0; i < count; i++)
        {
            if (!cursor.TryReadUInt32(out uint nameLength) || !cursor.TryReadBytes(nameLength, out ReadOnlySpan<byte> nameBytes)
                || !cursor.TryReadUInt32(out uint dtype) || !cursor.TryReadUInt32(out uint rank))
            {
                return false;
            }

            string name;
            try
            {
                name = utf8.GetString(nameBytes);
            }
            catch (DecoderFallbackException)
            {
                name = $"#{i}";
                problems.Add($"the name of tensor #{i} is not valid UTF-8");
            }

            if (rank > ModelFileLayout.MaxRank)
            {
                problems.Add($"tensor {name} has rank {rank}; at most {ModelFileLayout.MaxRank} is supported");
                return false;
            }

            var dims = new ulong[rank];
            for (int d = 0; d < rank; d++)
            {
                if (!cursor.TryReadUInt64(out dims[d]))
                {
                    return false;
                }
            }

            if (!cursor.TryReadUInt64(out ulong offset) || !cursor.TryReadUInt64(out ulong byteCount))
            {
                return false;
            }

            entries.Add(new ModelTensorEntry(name, dtype, dims, offset, byteCount));
        }

        return true;
    }

    private static void CheckEntries(List<ModelTensorEntry> entries, ulong tableEnd, uint version, List<string> problems)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (ModelTensorEntry e in entries)
        {
            if (!seen.Add(e.Name))
            {
                problems.Add($"tensor {e.Name} appears more than once");
            }

            bool int8 = e.Dtype is ModelFileLayout.DtypeInt8PerChannel or ModelFileLayout.DtypeInt8BlockSparse;
            if (int8 && version < ModelFileLayout.FormatVersion2)
            {
                string kind = e.Dtype == ModelFileLayout.DtypeInt8PerChannel ? "int8 per-channel" : "int8 block-sparse";
                problems.Add($"tensor {e.Name} has dtype code {e.Dtype} ({kind}), which format version {version} does not allow (version 2 does)");
                continue;
            }

            if (e.Dtype != ModelFileLayout.DtypeFloat32 && !int8)
            {
                problems.Add($"tensor {e.Name} has unknown dtype code {e.Dtype}; this runtime reads 0 (float32), 1 (int8 per-channel) and 2 (int8 block-sparse)");
                continue;
            }

            ulong elements = 1;
            bool tooLarge = false;
            foreach (ulong d in e.Dims)
            {
                tooLarge |= d > int.MaxValue;
                elements = tooLarge ? 0 : elements * d;
                tooLarge |= elements > int.MaxValue;
            }

            if (tooLarge)
            {
                problems.Add($"tensor {e.Name} has shape {ModelTensor.FormatShape(e.Dims)}, too large for this runtime");
            }
            else if (e.Dtype == ModelFileLayout.DtypeFloat32 && e.ByteCount != elements * sizeof(float))
            {
                problems.Add($"tensor {e.Name} has shape {ModelTensor.FormatShape(e.Dims)} ({elements * sizeof(float)} bytes of float32) but {e.ByteCount} bytes");
            }
            else if (int8)
            {
                QuantizedTensorLayout.CheckSize(e, problems);
            }

            if (e.Offset % ModelFileLayout.Alignment != 0)
            {
                problems.Add($"tensor {e.Name} starts at byte {e.Offset}, not on a {ModelFileLayout.Alignment}-byte boundary");
            }

            if (e.Offset < tableEnd)
            {
                problems.Add($"tensor {e.Name} starts at byte {e.Offset}, inside the header (which ends at {tableEnd})");
            }
        }

        var sorted = entries.OrderBy(e => e.Offset).ToList();
        for (int i = 1; i < sorted.Count; i++)
        {
            if (sorted[i].Offset < sorted[i - 1].End)
            {
                problems.Add($"tensors {sorted[i - 1].Name} and {sorted[i].Name} overlap");
            }
        }
    }

    /// <summary>Tensors as slices of the file's buffer; int8 tensors are checked value by value (<see cref="QuantizedTensorLayout"/>).</summary>
    private static (Dictionary<string, ModelTensor> Tensors, List<string> Order) BuildTensors(
        float[] store, int start, List<ModelTensorEntry> entries, List<string> problems)
    {
        var tensors = new Dictionary<string, ModelTensor>(StringComparer.Ordinal);
        var order = new List<string>(entries.Count);
        foreach (ModelTensorEntry e in entries)
        {
            int[] shape = e.Dims.Select(d => (int)d).ToArray();
            ModelTensor? tensor = e.Dtype == ModelFileLayout.DtypeFloat32
                ? new ModelTensor(e.Name, shape, new ReadOnlyMemory<float>(store, start + (int)(e.Offset / 4), (int)(e.ByteCount / 4)))
                : QuantizedTensorLayout.Read(e, shape, store, start, problems);
            if (tensor is not null)
            {
                tensors[e.Name] = tensor;
                order.Add(e.Name);
            }
        }

        return (tensors, order);
    }

    private static void CheckArchitecture(ModelMetadata metadata, Dictionary<string, ModelTensor> tensors, List<string> problems)
    {
        bool norm = OptionalPart(ConvRnntTensorLayout.EncoderNorm, "encoder_norm", metadata.DeclaredEncoderNorm, tensors, problems);
        bool skip = OptionalPart(ConvRnntTensorLayout.EncoderSkip, "encoder_skip", metadata.DeclaredEncoderSkip, tensors, problems);
        var expected = ConvRnntTensorLayout.Expected(metadata.Dimensions, norm, skip);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, long[] shape) in expected)
        {
            names.Add(name);
            if (!tensors.TryGetValue(name, out ModelTensor? tensor))
            {
                problems.Add($"tensor {name} {ModelTensor.FormatShape(shape)} is missing");
            }
            else if (!tensor.Shape.Select(d => (long)d).SequenceEqual(shape))
            {
                problems.Add($"tensor {name} has shape {tensor.ShapeText} but the metadata's sizes need {ModelTensor.FormatShape(shape)}");
            }
        }

        foreach (string name in tensors.Keys.Where(n => !names.Contains(n)))
        {
            problems.Add($"tensor {name} is not part of a {ModelMetadata.ConvRnntV1} model");
        }
    }

    /// <summary>Whether an optional part (weight and bias under <paramref name="prefix"/>) is expected: the metadata's
    /// word when it has one (a contradiction with the tensors is a problem), else whether either tensor is there.</summary>
    private static bool OptionalPart(string prefix, string key, bool? declared, Dictionary<string, ModelTensor> tensors, List<string> problems)
    {
        bool present = tensors.ContainsKey(prefix + ".weight") || tensors.ContainsKey(prefix + ".bias");
        if (declared is bool said && said != present)
        {
            problems.Add(said
                ? $"metadata \"{key}\" is true but the file has no {prefix} tensors"
                : $"metadata \"{key}\" is false but the file has {prefix} tensors");
        }

        return declared ?? present;
    }

    private static void CheckValues(Dictionary<string, ModelTensor> tensors, List<string> problems)
    {
        foreach (ModelTensor tensor in tensors.Values.Where(t => t.Storage == TensorStorage.Float32))
        {
            ReadOnlySpan<float> values = tensor.Data.Span;
            if (!float.IsFinite(TensorPrimitives.SumOfMagnitudes(values)))
            {
                int bad = FirstNonFinite(values);
                if (bad >= 0)
                {
                    problems.Add($"tensor {tensor.Name} holds {values[bad]} at index {bad}");
                }
            }
        }

        if (tensors.TryGetValue("cmvn.std", out ModelTensor? std) && TensorPrimitives.Min(std.Data.Span) <= 0f)
        {
            problems.Add("tensor cmvn.std has a value that is not positive");
        }
    }

    private static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static ModelFormatException Fail(string path, string problem, string fix) => new(path, [problem], fix);
}
