using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace EdgeVoice.Audio.Tests;

/// <summary>
/// Ogg Vorbis through <see cref="AudioFile"/>: told apart from WAV by its first bytes, decoded by the managed
/// decoder, mixed down, resampled, and every corruption reported as an <see cref="AudioException"/>.
/// The Ogg files are made with sox at test time (CI installs it).
/// </summary>
public sealed class OggVorbisInputTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgevoice-ogg-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [SoxTheory]
    [InlineData(16000, 1)]
    [InlineData(22050, 2)]
    [InlineData(8000, 1)]
    public void Ogg_reads_like_the_wav_it_was_encoded_from(int rate, int channels)
    {
        var (wav, ogg) = MakeOgg(rate, channels, quality: 8);

        var fromWav = AudioFile.Read(wav).Samples;
        var fromOgg = AudioFile.Read(ogg).Samples;

        Assert.Equal(fromWav.Length, fromOgg.Length);
        var snr = SnrDb(fromWav, fromOgg);
        output.WriteLine($"{rate} Hz x{channels}: SNR of the Vorbis decode against the source {snr:F1} dB");
        Assert.True(snr > 20, $"the decoded Ogg differs from its source: SNR {snr:F1} dB");
    }

    [SoxTheory]
    [InlineData(8000, 1)]
    [InlineData(22050, 2)]
    public void Reading_at_the_source_rate_keeps_the_rate_of_wav_and_ogg(int rate, int channels)
    {
        var (wav, ogg) = MakeOgg(rate, channels, quality: 6);

        var fromWav = AudioFile.ReadAtSourceRate(wav);
        var fromOgg = AudioFile.ReadAtSourceRate(ogg);

        Assert.Equal(rate, fromWav.SampleRate);
        Assert.Equal(rate, fromOgg.SampleRate);
        Assert.Equal(rate, fromWav.Samples.Length);
        Assert.Equal(fromWav.Samples.Length, fromOgg.Samples.Length);
        Assert.Equal(AudioFile.Read(wav, rate).Samples, fromWav.Samples);
    }

    [SoxFact]
    public void A_non_seekable_stream_reads_like_the_file()
    {
        var (_, ogg) = MakeOgg(16000, 1, quality: 4);
        using var stream = new ForwardOnlyStream(File.ReadAllBytes(ogg));

        var fromStream = AudioFile.Read(stream, "<stdin>").Samples;

        Assert.Equal(AudioFile.Read(ogg).Samples, fromStream);
    }

    [SoxFact]
    public void A_truncated_ogg_names_the_file()
    {
        var (_, ogg) = MakeOgg(16000, 1, quality: 4);
        var bytes = File.ReadAllBytes(ogg);
        var truncated = Path.Combine(_directory, "truncated.ogg");
        File.WriteAllBytes(truncated, bytes.AsSpan(0, bytes.Length / 3).ToArray());

        var error = Assert.ThrowsAny<AudioException>(() => AudioFile.Read(truncated));

        Assert.Contains("truncated.ogg", error.Message);
    }

    [SoxFact]
    public void Thousands_of_corrupted_oggs_raise_only_audio_exceptions()
    {
        var (_, ogg) = MakeOgg(16000, 1, quality: 2, seconds: 0.4);
        var original = File.ReadAllBytes(ogg);
        var random = new Random(20261122);
        var outcomes = new Dictionary<string, int>();
        for (var variant = 0; variant < 2000; variant++)
        {
            var bytes = Mutate(original, random);
            string outcome;
            try
            {
                using var stream = new MemoryStream(bytes);
                AudioFile.Read(stream, $"variant-{variant}.ogg");
                outcome = "decoded";
            }
            catch (AudioException e)
            {
                Assert.Contains($"variant-{variant}.ogg", e.Message);
                outcome = e.GetType().Name;
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        output.WriteLine(string.Join(", ", outcomes.Select(pair => $"{pair.Key}: {pair.Value}")));
        Assert.Equal(2000, outcomes.Values.Sum());
        Assert.True(outcomes.GetValueOrDefault("decoded") < 2000, "the mutations never broke the stream: the test is not testing anything");
    }

    [Fact]
    public void Real_ogg_files_have_the_manifest_durations()
    {
        var real = RealDataFolder();
        if (real is null)
        {
            output.WriteLine("../shared/data/real is absent: nothing to compare (CI has it beside the repository)");
            return;
        }

        var checkedFiles = 0;
        foreach (var line in File.ReadLines(Path.Combine(real, "manifest.jsonl")).Where((_, index) => index % 200 == 0))
        {
            using var entry = JsonDocument.Parse(line);
            var audio = Path.Combine(real, entry.RootElement.GetProperty("audio").GetString()!);
            var duration = entry.RootElement.GetProperty("duration").GetDouble();

            var clip = AudioFile.Read(audio);

            Assert.Equal(16000, clip.SampleRate);
            Assert.InRange(clip.Duration.TotalSeconds, duration - 0.002, duration + 0.002);
            Assert.All(clip.Samples, sample => Assert.True(float.IsFinite(sample)));
            checkedFiles++;
        }

        output.WriteLine($"{checkedFiles} real Ogg files decoded with their manifest durations");
        Assert.True(checkedFiles >= 20);
    }

    private (string Wav, string Ogg) MakeOgg(int rate, int channels, int quality, double seconds = 1.0)
    {
        var wav = Path.Combine(_directory, $"source-{rate}-{channels}.wav");
        var ogg = Path.Combine(_directory, $"encoded-{rate}-{channels}-q{quality}.ogg");
        var random = new Random(rate + channels);
        var frames = (int)(rate * seconds);
        var interleaved = new float[frames * channels];
        for (var i = 0; i < frames; i++)
        {
            for (var c = 0; c < channels; c++)
            {
                var t = (double)i / rate;
                interleaved[(i * channels) + c] = (float)((0.3 * Math.Sin(2 * Math.PI * (300 + (200 * c)) * t)) + (0.2 * Math.Sin(2 * Math.PI * 1234 * t * (1 + t))) + (0.01 * (random.NextDouble() - 0.5)));
            }
        }

        using (var stream = File.Create(wav))
        {
            WavWriter.WritePcm16(stream, interleaved, rate, channels);
        }

        RunSox(wav, "-C", quality.ToString(System.Globalization.CultureInfo.InvariantCulture), ogg);
        return (wav, ogg);
    }

    private static void RunSox(params string[] arguments)
    {
        var start = new ProcessStartInfo(SoxTheoryAttribute.SoxPath!) { RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "sox failed: " + error);
    }

    private static double SnrDb(float[] reference, float[] test)
    {
        double signal = 0, noise = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            signal += (double)reference[i] * reference[i];
            noise += (double)(reference[i] - test[i]) * (reference[i] - test[i]);
        }

        return 10 * Math.Log10(signal / Math.Max(noise, 1e-20));
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(3))
        {
            case 0:
                for (var flips = random.Next(1, 8); flips > 0; flips--)
                {
                    bytes[random.Next(4, bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            case 1:
                return bytes.AsSpan(0, random.Next(4, bytes.Length)).ToArray();
            default:
                var at = random.Next(4, bytes.Length);
                var length = random.Next(1, Math.Min(64, bytes.Length - at) + 1);
                random.NextBytes(bytes.AsSpan(at, length));
                return bytes;
        }
    }

    private static string? RealDataFolder()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EdgeVoice.slnx")))
        {
            directory = directory.Parent;
        }

        var real = directory is null ? null : Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "data", "real"));
        return real is not null && File.Exists(Path.Combine(real, "manifest.jsonl")) ? real : null;
    }

    /// <summary>A stream that can only be read forwards, like standard input.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 777));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
