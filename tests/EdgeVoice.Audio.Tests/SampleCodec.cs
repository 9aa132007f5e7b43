using System.Buffers.Binary;

namespace EdgeVoice.Audio.Tests;

/// <summary>
/// The sample encodings of the test matrix: how a value in [-1, 1] is stored, and the exact float the
/// reader must return for it. Written independently of the product decoder.
/// </summary>
internal sealed record SampleCodec(string Name, ushort FormatTag, int BitsPerSample)
{
    public static readonly SampleCodec Pcm8 = new("pcm8", 1, 8);
    public static readonly SampleCodec Pcm16 = new("pcm16", 1, 16);
    public static readonly SampleCodec Pcm24 = new("pcm24", 1, 24);
    public static readonly SampleCodec Pcm32 = new("pcm32", 1, 32);
    public static readonly SampleCodec Float32 = new("float32", 3, 32);
    public static readonly SampleCodec Float64 = new("float64", 3, 64);

    public static IReadOnlyList<SampleCodec> All { get; } = [Pcm8, Pcm16, Pcm24, Pcm32, Float32, Float64];

    public static SampleCodec ByName(string name) => All.Single(c => c.Name == name);

    public int Bytes => BitsPerSample / 8;

    /// <summary>Encodes interleaved values; returns the bytes and the value each sample decodes to.</summary>
    public (byte[] Bytes, double[] Decoded) Encode(IReadOnlyList<double> values)
    {
        var bytes = new byte[values.Count * Bytes];
        var decoded = new double[values.Count];
        for (int i = 0; i < values.Count; i++)
        {
            var target = bytes.AsSpan(i * Bytes, Bytes);
            double v = values[i];
            switch (Name)
            {
                case "pcm8":
                    int u8 = (int)Math.Clamp(Math.Round((v * 128) + 128), 0, 255);
                    target[0] = (byte)u8;
                    decoded[i] = (u8 - 128) / 128.0;
                    break;
                case "pcm16":
                    short s16 = (short)Math.Clamp(Math.Round(v * 32768), short.MinValue, short.MaxValue);
                    BinaryPrimitives.WriteInt16LittleEndian(target, s16);
                    decoded[i] = s16 / 32768.0;
                    break;
                case "pcm24":
                    int s24 = (int)Math.Clamp(Math.Round(v * 8388608), -8388608, 8388607);
                    target[0] = (byte)s24;
                    target[1] = (byte)(s24 >> 8);
                    target[2] = (byte)(s24 >> 16);
                    decoded[i] = s24 / 8388608.0;
                    break;
                case "pcm32":
                    int s32 = (int)Math.Clamp(Math.Round(v * 2147483648.0), int.MinValue, int.MaxValue);
                    BinaryPrimitives.WriteInt32LittleEndian(target, s32);
                    decoded[i] = s32 / 2147483648.0;
                    break;
                case "float32":
                    BinaryPrimitives.WriteSingleLittleEndian(target, (float)v);
                    decoded[i] = (float)v;
                    break;
                default:
                    BinaryPrimitives.WriteDoubleLittleEndian(target, v);
                    decoded[i] = v;
                    break;
            }
        }

        return (bytes, decoded);
    }

    public override string ToString() => Name;
}
