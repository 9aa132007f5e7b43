using System.Diagnostics;
using System.Globalization;
using EdgeVoice.Features;

namespace EdgeVoice.Benchmarks;

/// <summary>
/// Command-line entries for bench/fbank/*.py and training/golden/check_fbank_real.py:
/// <code>
/// fbank-npy &lt;in.npy&gt; &lt;out.npy&gt; [sample-rate]           features of float32 samples, EdgeVoice defaults
/// fbank-throughput &lt;in.npy&gt; [sample-rate] [repeats]    single-thread throughput on float32 samples
/// </code>
/// </summary>
internal static class FbankCommands
{
    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args.Length == 0 || (args[0] != "fbank-npy" && args[0] != "fbank-throughput"))
        {
            return false;
        }

        try
        {
            exitCode = args[0] == "fbank-npy" ? FbankNpy(args) : Throughput(args);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or FormatException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            exitCode = 1;
        }

        return true;
    }

    private static int FbankNpy(string[] args)
    {
        if (args.Length is < 3 or > 4)
        {
            Console.Error.WriteLine("usage: fbank-npy <in.npy> <out.npy> [sample-rate]");
            return 2;
        }

        var options = OptionsFor(args.Length == 4 ? args[3] : null);
        var samples = NpyFile.ReadVector(args[1]);
        NpyFile.WriteMatrix(args[2], Fbank.Compute(samples, options));
        return 0;
    }

    private static int Throughput(string[] args)
    {
        if (args.Length is < 2 or > 4)
        {
            Console.Error.WriteLine("usage: fbank-throughput <in.npy> [sample-rate] [repeats]");
            return 2;
        }

        var options = OptionsFor(args.Length >= 3 ? args[2] : null);
        int repeats = args.Length == 4 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20;
        var samples = NpyFile.ReadVector(args[1]);
        double audioSeconds = samples.Length / options.SampleFrequency;

        int frames = 0;
        for (int i = 0; i < 5; i++)
        {
            frames = Fbank.Compute(samples, options).NumFrames;
        }

        var times = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Fbank.Compute(samples, options);
            times[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        Array.Sort(times);
        double median = times[repeats / 2];
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"audio_seconds={audioSeconds:F3} frames={frames} repeats={repeats} best_seconds={times[0]:F6} median_seconds={median:F6} audio_seconds_per_second={audioSeconds / median:F1}"));
        return 0;
    }

    private static FbankOptions OptionsFor(string? sampleRate) => sampleRate is null
        ? FbankOptions.Default
        : new FbankOptions { SampleFrequency = double.Parse(sampleRate, CultureInfo.InvariantCulture) };
}
