namespace EdgeVoice.Features.Tests;

/// <summary>Locates committed test data and makes seeded signals.</summary>
internal static class TestData
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string GoldenFbankDirectory => Path.Combine(RepoRoot, "tests", "data", "golden", "fbank");

    public static float[] RandomSignal(int length, int seed, float scale = 0.3f)
    {
        var random = new Random(seed);
        var x = new float[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = scale * ((2.0f * random.NextSingle()) - 1.0f);
        }

        return x;
    }

    /// <summary>A speech-like test signal: two sweeping harmonics, noise and a stretch of silence.</summary>
    public static float[] SweepWithSilence(int length, int sampleRate, int seed)
    {
        var noise = RandomSignal(length, seed, 0.02f);
        var x = new float[length];
        for (int i = 0; i < length; i++)
        {
            double t = (double)i / sampleRate;
            double f = 150.0 + (400.0 * t);
            x[i] = (float)((0.4 * Math.Sin(2 * Math.PI * f * t)) + (0.1 * Math.Sin(2 * Math.PI * 3.1 * f * t))) + noise[i];
        }

        x.AsSpan(length / 3, length / 6).Clear();
        return x;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "tests", "data", "golden")) && Directory.Exists(Path.Combine(dir.FullName, "src")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"Could not find the repository root (with tests/data/golden) above {AppContext.BaseDirectory}.");
    }
}
