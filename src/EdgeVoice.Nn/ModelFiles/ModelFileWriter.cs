using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace EdgeVoice.Nn;

/// <summary>
/// Writes model files (docs/model-format.md): format version 1 when every tensor is float32, version 2 when any is
/// int8 (dtype 1) or block-sparse int8 (dtype 2). Byte for byte what training/model_file.py writes for the same input.
/// </summary>
public static class ModelFileWriter
{
    /// <summary>Writes the file and returns its size in bytes.</summary>
    public static long Write(string path, string metadataJson, IReadOnlyList<ModelTensor> tensors)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes = ToBytes(metadataJson, tensors);
        File.WriteAllBytes(path, bytes);
        return bytes.Length;
    }

    /// <summary>The file's bytes.</summary>
    public static byte[] ToBytes(string metadataJson, IReadOnlyList<ModelTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(metadataJson);
        ArgumentNullException.ThrowIfNull(tensors);
        byte[] meta = Encoding.UTF8.GetBytes(metadataJson);
        uint version = tensors.Any(t => t.Storage != TensorStorage.Float32) ? ModelFileLayout.FormatVersion2 : ModelFileLayout.FormatVersion;
        var head = new List<byte>();
        head.AddRange(ModelFileLayout.Magic);
        AddU32(head, version);
        AddU32(head, (uint)meta.Length);
        head.AddRange(meta);
        AddU32(head, (uint)tensors.Count);
        long tableSize = tensors.Sum(t => 4L + Encoding.UTF8.GetByteCount(t.Name) + 8 + (8L * t.Shape.Count) + 16);
        long offset = Align(head.Count + tableSize);
        var placed = new List<(long Offset, byte[] Data)>();
        foreach (ModelTensor t in tensors)
        {
            byte[] data = Serialize(t);
            byte[] name = Encoding.UTF8.GetBytes(t.Name);
            AddU32(head, (uint)name.Length);
            head.AddRange(name);
            AddU32(head, (uint)t.Storage);
            AddU32(head, (uint)t.Shape.Count);
            foreach (int d in t.Shape)
            {
                AddU64(head, (ulong)d);
            }

            AddU64(head, (ulong)offset);
            AddU64(head, (ulong)data.Length);
            placed.Add((offset, data));
            offset = Align(offset + data.Length);
        }

        long end = placed.Count == 0 ? head.Count : placed[^1].Offset + placed[^1].Data.Length;
        var file = new byte[end + ModelFileLayout.ChecksumLength];
        head.CopyTo(file);
        foreach ((long off, byte[] data) in placed)
        {
            data.CopyTo(file, off);
        }

        SHA256.HashData(file.AsSpan(0, (int)end), file.AsSpan((int)end));
        return file;
    }

    private static byte[] Serialize(ModelTensor t)
    {
        switch (t.Matrix)
        {
            case null:
                return MemoryMarshal.AsBytes(t.Data.Span).ToArray();
            case Int8Matrix dense:
                return [.. MemoryMarshal.AsBytes(dense.Scales.Span), .. MemoryMarshal.AsBytes(dense.Values.Span)];
            case BlockSparseInt8Matrix sparse:
                return [.. MemoryMarshal.AsBytes(sparse.Scales.Span), .. sparse.Bitmap, .. MemoryMarshal.AsBytes(sparse.PackedValues.Span)];
            default:
                throw new ArgumentException($"Tensor {t.Name} has a weight storage ({t.Matrix.GetType().Name}) the file format cannot hold.", nameof(t));
        }
    }

    private static long Align(long n) => (n + ModelFileLayout.Alignment - 1) / ModelFileLayout.Alignment * ModelFileLayout.Alignment;

    private static void AddU32(List<byte> list, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        list.AddRange(b);
    }

    private static void AddU64(List<byte> list, ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        list.AddRange(b);
    }
}
