using System.Text.Json;

namespace EdgeVoice.Asr.Tests;

/// <summary>
/// A folder of PyTorch reference outputs written by training/dump_golden.py (tests/data/golden/&lt;model&gt;/) and
/// the model file it was dumped from (models/&lt;model_file&gt;). EDGEVOICE_GOLDEN_DIR and EDGEVOICE_TEST_MODEL
/// point the tests at another pair.
/// </summary>
internal sealed class GoldenSet
{
    public const int SupportedVersion = 1;

    private static readonly Lazy<IReadOnlyList<GoldenSet>> Found = new(Discover);

    private GoldenSet(string folder, string modelPath, JsonDocument summary)
    {
        Folder = folder;
        ModelPath = modelPath;
        Summary = summary.RootElement;
    }

    public static IReadOnlyList<GoldenSet> All => Found.Value;

    public static string MissingReason =>
        "No golden files: run /usr/bin/python3 training/dump_golden.py --checkpoint models/<name>.evm --output tests/data/golden/<name> " +
        "(or set EDGEVOICE_GOLDEN_DIR and EDGEVOICE_TEST_MODEL).";

    public string Folder { get; }

    public string ModelPath { get; }

    public JsonElement Summary { get; }

    public string Regenerate => Summary.GetProperty("command").GetString() ?? "training/dump_golden.py";

    public NpyArray Array(string name) => NpyArray.Read(Path.Combine(Folder, name));

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EdgeVoice.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("EdgeVoice.slnx not found above " + AppContext.BaseDirectory);
    }

    private static IReadOnlyList<GoldenSet> Discover()
    {
        string root = RepositoryRoot();
        var folders = new List<string>();
        if (Environment.GetEnvironmentVariable("EDGEVOICE_GOLDEN_DIR") is { Length: > 0 } env)
        {
            folders.Add(env);
        }
        else if (Directory.Exists(Path.Combine(root, "tests", "data", "golden")))
        {
            folders.AddRange(Directory.GetDirectories(Path.Combine(root, "tests", "data", "golden")).Where(d => File.Exists(Path.Combine(d, "golden.json"))));
        }

        var sets = new List<GoldenSet>();
        foreach (string folder in folders)
        {
            var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "golden.json")));
            if (summary.RootElement.GetProperty("golden_version").GetInt32() != SupportedVersion)
            {
                throw new InvalidDataException($"{folder}: golden version {summary.RootElement.GetProperty("golden_version")} is not {SupportedVersion}; regenerate with training/dump_golden.py.");
            }

            string model = Environment.GetEnvironmentVariable("EDGEVOICE_TEST_MODEL") is { Length: > 0 } m
                ? m
                : Path.Combine(root, "models", summary.RootElement.GetProperty("model_file").GetString()!);
            if (File.Exists(model))
            {
                sets.Add(new GoldenSet(folder, model, summary));
            }
        }

        return sets;
    }
}
