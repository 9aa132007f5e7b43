using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace EdgeVoice.Lm.Tests;

/// <summary>Writes model containers (docs/model-format.md, version 1) for tests of the loader's checks.</summary>
internal static class TestModelFileWriter
{
    public static void Write(string path, string metadataJson, IReadOnlyList<(string Name, int[] Shape, float[] Data)> tensors)
    {
        var head = new List<byte>();
        head.AddRange("EVMODEL\0"u8.ToArray());
        byte[] meta = Encoding.UTF8.GetBytes(metadataJson);
        U32(head, 1);
        U32(head, (uint)meta.Length);
        head.AddRange(meta);
        U32(head, (uint)tensors.Count);
        int table = tensors.Sum(t => 4 + Encoding.UTF8.GetByteCount(t.Name) + 8 + 8 * t.Shape.Length + 16);
        long offset = Align(head.Count + table);
        var placed = new List<(long Offset, float[] Data)>();
        foreach (var (name, shape, data) in tensors)
        {
            byte[] n = Encoding.UTF8.GetBytes(name);
            U32(head, (uint)n.Length);
            head.AddRange(n);
            U32(head, 0);
            U32(head, (uint)shape.Length);
            foreach (int d in shape)
            {
                U64(head, (ulong)d);
            }

            U64(head, (ulong)offset);
            U64(head, (ulong)(data.Length * 4));
            placed.Add((offset, data));
            offset = Align(offset + data.Length * 4);
        }

        foreach (var (off, data) in placed)
        {
            while (head.Count < off)
            {
                head.Add(0);
            }

            foreach (float f in data)
            {
                var b = new byte[4];
                BinaryPrimitives.WriteSingleLittleEndian(b, f);
                head.AddRange(b);
            }
        }

        byte[] body = head.ToArray();
        File.WriteAllBytes(path, [.. body, .. SHA256.HashData(body)]);
    }

    private static long Align(long n) => (n + 63) / 64 * 64;

    private static void U32(List<byte> b, uint v)
    {
        var x = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(x, v);
        b.AddRange(x);
    }

    private static void U64(List<byte> b, ulong v)
    {
        var x = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(x, v);
        b.AddRange(x);
    }
}
