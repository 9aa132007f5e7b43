using System.Buffers.Binary;
using Xunit.Abstractions;

namespace EdgeVoice.Audio.Tests;

/// <summary>
/// Corrupts valid WAV files in many ways (fixed seed) and checks that the readers either decode them or
/// raise an <see cref="AudioException"/> subclass: never IndexOutOfRange, Overflow, OutOfMemory or the like.
/// </summary>
public sealed class MutationTests(ITestOutputHelper output)
{
    private const int VariantCount = 10_000;
    private const int Seed = 20260101;

    [Fact]
    public void Whole_file_reader_survives_corrupted_files()
    {
        var outcomes = new Dictionary<string, int>();
        var failures = new List<string>();
        foreach (var (name, bytes) in Variants())
        {
            try
            {
                AudioFile.Read(new MemoryStream(bytes), name);
                Count(outcomes, "decoded");
            }
            catch (AudioException error)
            {
                Count(outcomes, error.GetType().Name);
                if (!error.Message.Contains(name, StringComparison.Ordinal))
                {
                    failures.Add($"{name}: message without the source name: {error.Message}");
                }
            }
            catch (Exception error)
            {
                failures.Add($"{name}: {error.GetType().Name}: {error.Message}");
            }
        }

        Report(outcomes, failures);
    }

    [Fact]
    public void Streaming_decoder_survives_corrupted_files_and_agrees_with_the_whole_file_reader()
    {
        var random = new Random(Seed + 1);
        var outcomes = new Dictionary<string, int>();
        var failures = new List<string>();
        foreach (var (name, bytes) in Variants())
        {
            string whole = Outcome(() => AudioFile.Read(new MemoryStream(bytes), name).Samples);
            string streamed = Outcome(() => StreamingDecoderTests.DecodeInChunks(bytes, name, remaining => random.Next(0, Math.Min(remaining, 64) + 1)));
            Count(outcomes, streamed.Split(':')[0]);
            if (streamed != whole)
            {
                failures.Add($"{name}: whole file gave {whole}, streaming gave {streamed}");
            }
        }

        Report(outcomes, failures);
    }

    private void Report(Dictionary<string, int> outcomes, List<string> failures)
    {
        foreach (var (outcome, count) in outcomes.OrderByDescending(o => o.Value))
        {
            output.WriteLine($"{outcome}: {count}");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failures, first ones:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(10))}");
        Assert.Equal(VariantCount, outcomes.Values.Sum());
        Assert.True(outcomes.GetValueOrDefault("decoded") > 100, "too few variants decode; the mutations are too destructive to test the decoding paths");
        Assert.True(outcomes.Count >= 6, "the mutations should reach most exception types");
    }

    /// <summary>"decoded:" plus a checksum of the samples, or the exception type; other exceptions become "CRASH".</summary>
    private static string Outcome(Func<float[]> decode)
    {
        try
        {
            var samples = decode();
            return $"decoded:{samples.Length}:{HashCode.Combine(samples.Length, samples.Aggregate(0.0, (h, s) => (h * 31) + s))}";
        }
        catch (AudioException error)
        {
            return error.GetType().Name;
        }
        catch (Exception error)
        {
            return $"CRASH {error.GetType().Name}: {error.Message}";
        }
    }

    private static void Count(Dictionary<string, int> outcomes, string key) =>
        outcomes[key] = outcomes.GetValueOrDefault(key) + 1;

    private static IEnumerable<(string Name, byte[] Bytes)> Variants()
    {
        var random = new Random(Seed);
        var sources = SampleFiles.All.ToArray();
        for (int i = 0; i < VariantCount; i++)
        {
            var (sourceName, source) = sources[i % sources.Length];
            var bytes = source.ToArray();
            int mutations = random.Next(0, 4) == 0 ? 2 : 1;
            var applied = new List<string>();
            for (int m = 0; m < mutations; m++)
            {
                (bytes, string what) = Mutate(bytes, random);
                applied.Add(what);
            }

            yield return ($"mutant-{i}-{sourceName}-{string.Join("+", applied)}.wav", bytes);
        }
    }

    private static (byte[] Bytes, string What) Mutate(byte[] bytes, Random random)
    {
        // Most damage goes into the header, where the parsing decisions are made.
        int Position(int length) => random.Next(0, 3) > 0 ? random.Next(0, Math.Min(length, 80)) : random.Next(0, length);

        switch (random.Next(0, 6))
        {
            case 0:
            {
                int count = random.Next(1, 4);
                for (int k = 0; k < count && bytes.Length > 0; k++)
                {
                    bytes[Position(bytes.Length)] ^= (byte)random.Next(1, 256);
                }

                return (bytes, "flip");
            }

            case 1:
                return (bytes[..random.Next(0, bytes.Length)], "truncate");
            case 2:
            {
                if (bytes.Length < 4)
                {
                    return (bytes, "none");
                }

                uint[] extremes = [0, 1, 2, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF, (uint)random.Next()];
                uint value = extremes[random.Next(extremes.Length)];
                int offset = HeaderFieldOffset(bytes, random);
                if (random.Next(0, 2) == 0 && offset + 4 <= bytes.Length)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), value);
                }
                else if (offset + 2 <= bytes.Length)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(offset), (ushort)value);
                }

                return (bytes, $"field@{offset}={value:X}");
            }

            case 3:
            {
                int at = Position(bytes.Length + 1);
                var inserted = new byte[random.Next(1, 9)];
                random.NextBytes(inserted);
                return ([.. bytes.AsSpan(0, Math.Min(at, bytes.Length)), .. inserted, .. bytes.AsSpan(Math.Min(at, bytes.Length))], "insert");
            }

            case 4:
            {
                if (bytes.Length == 0)
                {
                    return (bytes, "none");
                }

                int at = Position(bytes.Length);
                int count = Math.Min(random.Next(1, 9), bytes.Length - at);
                return ([.. bytes.AsSpan(0, at), .. bytes.AsSpan(at + count)], "delete");
            }

            default:
            {
                int at = Position(bytes.Length + 1);
                return (bytes[..Math.Min(at, bytes.Length)], "cut-header");
            }
        }
    }

    /// <summary>Offset of a size or format field: a chunk size, or one of the fmt fields of the file.</summary>
    private static int HeaderFieldOffset(byte[] bytes, Random random)
    {
        int fmt = IndexOf(bytes, "fmt "u8);
        int data = IndexOf(bytes, "data"u8);
        var offsets = new List<int> { 4 };
        if (fmt >= 0)
        {
            offsets.AddRange([fmt + 4, fmt + 8, fmt + 10, fmt + 12, fmt + 16, fmt + 20, fmt + 22, fmt + 24, fmt + 26, fmt + 32]);
        }

        if (data >= 0)
        {
            offsets.Add(data + 4);
        }

        return Math.Min(offsets[random.Next(offsets.Count)], bytes.Length - 2);
    }

    private static int IndexOf(byte[] bytes, ReadOnlySpan<byte> id) => bytes.AsSpan().IndexOf(id);
}
