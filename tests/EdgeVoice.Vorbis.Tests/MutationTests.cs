using Xunit.Abstractions;

namespace EdgeVoice.Vorbis.Tests;

/// <summary>
/// Corrupts small files in thousands of ways (fixed seed) and checks that decoding either succeeds with
/// samples in [-1, 1] or raises <see cref="VorbisFormatException"/>; nothing else may escape, and no
/// runtime error (index, overflow, null...) may be hit inside the decoder, even wrapped.
/// </summary>
public sealed class MutationTests(ITestOutputHelper output)
{
    private static readonly string[] Files =
        ["tiny10_16k.ogg", "burst800_16k_q5.ogg", "short300_8k_q0.ogg", "chirp22k_stereo_q3.ogg", "speech8k_stereo_q2.ogg"];

    [Fact]
    public void CorruptedFilesFailOnlyWithVorbisFormatException()
    {
        var random = new Random(12345);
        var outcomes = new Dictionary<string, int>();
        int variants = 0;
        foreach (string name in Files)
        {
            byte[] original = File.ReadAllBytes(Path.Combine(TestFiles.DataDirectory, name));
            List<(int Offset, int Length)> pages = OggTestPages.Pages(original);
            int headerEnd = pages[Math.Min(2, pages.Count - 1)].Offset + pages[Math.Min(2, pages.Count - 1)].Length;

            for (int i = 0; i < 150; i++)
            {
                byte[] data = (byte[])original.Clone();
                data[random.Next(data.Length)] ^= (byte)random.Next(1, 256);
                Record(Decode(data, $"{name}#flip{i}"), outcomes);
                variants++;
            }

            for (int i = 0; i < 450; i++)
            {
                // Flips behind a recomputed CRC reach the header parser and the audio decoder.
                byte[] data = (byte[])original.Clone();
                int flips = random.Next(1, 4);
                for (int f = 0; f < flips; f++)
                {
                    int at = i % 2 == 0 ? random.Next(Math.Min(headerEnd, data.Length)) : random.Next(data.Length);
                    data[at] ^= (byte)(1 << random.Next(8));
                }

                OggTestPages.FixAllCrcs(data, pages);
                Record(Decode(data, $"{name}#crcflip{i}"), outcomes);
                variants++;
            }

            for (int i = 0; i < 60; i++)
            {
                byte[] data = original[..random.Next(original.Length)];
                Record(Decode(data, $"{name}#cut{i}"), outcomes);
                variants++;
            }
        }

        foreach ((string outcome, int count) in outcomes.OrderByDescending(o => o.Value))
        {
            output.WriteLine($"{count,5}  {outcome}");
        }

        output.WriteLine($"{variants} variants");
        Assert.True(variants >= 2000);
    }

    private static void Record(string outcome, Dictionary<string, int> outcomes) =>
        outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;

    /// <summary>Decodes and returns a short outcome label; fails the test on any other exception.</summary>
    private static string Decode(byte[] data, string source)
    {
        try
        {
            VorbisAudio audio = VorbisFile.Decode(new MemoryStream(data), source);
            Assert.All(audio.Interleaved, s => Assert.True(s is >= -1f and <= 1f, $"{source}: sample {s} outside [-1, 1]"));
            return "decoded";
        }
        catch (VorbisFormatException e)
        {
            Assert.True(e.InnerException is null, $"{source}: runtime error inside the decoder: {e.InnerException}");
            Assert.StartsWith(source + ": ", e.Message);
            string problem = e.Problem;
            int cut = problem.IndexOfAny(['(', ':', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
            return e.GetType().Name + ": " + (cut > 0 ? problem[..cut].Trim() : problem);
        }
    }
}
