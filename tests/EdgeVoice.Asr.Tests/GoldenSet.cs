using System.Security.Cryptography;
using System.Text.Json;

namespace EdgeVoice.Asr.Tests;

/// <summary>
/// A folder of PyTorch reference outputs written by training/dump_golden.py and the model file it was dumped
/// from. By default every committed model <c>models/&lt;name&gt;.evm</c> is paired with
/// <c>tests/data/golden/&lt;name&gt;/</c>, and the pair counts only when the SHA-256 in golden.json is the model's:
/// <see cref="Problems"/> lists committed models whose goldens are missing or were dumped from another file, and
/// <see cref="RefreshCommand"/> regenerates them. EDGEVOICE_GOLDEN_DIR and EDGEVOICE_TEST_MODEL point the tests at
/// another pair (for example a /tmp export).
/// </summary>
internal sealed class GoldenSet
{
    public const int SupportedVersion = 1;

    /// <summary>Re-dumps the goldens of every models/*.evm (run from the repository root).</summary>
    public const string RefreshCommand = "bench/asr/refresh_goldens.sh";

    private static readonly Lazy<(IReadOnlyList<GoldenSet> Sets, IReadOnlyList<string> Problems)> Found = new(Discover);

    private GoldenSet(string folder, string modelPath, int formatVersion, JsonDocument summary)
    {
        Folder = folder;
        ModelPath = modelPath;
        ModelFormatVersion = formatVersion;
        Summary = summary.RootElement;
    }

    /// <summary>Golden folders whose model is present and is the file they were dumped from.</summary>
    public static IReadOnlyList<GoldenSet> All => Found.Value.Sets;

    /// <summary>Committed models without goldens, or with goldens of another file; each names the fix.</summary>
    public static IReadOnlyList<string> Problems => Found.Value.Problems;

    public static string MissingReason =>
        $"No golden files for a model in models/: run {RefreshCommand} (or set EDGEVOICE_GOLDEN_DIR and EDGEVOICE_TEST_MODEL).";

    public string Folder { get; }

    public string ModelPath { get; }

    public JsonElement Summary { get; }

    /// <summary>Format version of the model file (1 float32; 2 with int8 / block-sparse int8 weights).</summary>
    public int ModelFormatVersion { get; }

    /// <summary>Largest |C# − PyTorch| of a float32 computation: rounding differences only.</summary>
    public const double FloatTolerance = 1e-4;

    /// <summary>
    /// Format version 2 (int8 weights): largest |C# − PyTorch| any one check may show. The goldens come from
    /// training/int8_emulation.py, exact in the int8 arithmetic, but a float rounding difference in front of an int8
    /// layer can move one activation across a rounding boundary of its per-frame quantization: one int8 step in one
    /// value, which changes that frame's outputs by up to a few 1e-3 and, inside the LSTM, later frames too (largest
    /// seen 1.1e-2; docs/model-format.md, "Goldens"). Emulations that get the int8 arithmetic wrong differ by 0.04–0.3.
    /// </summary>
    public const double Int8MaxDifference = 3e-2;

    /// <summary>
    /// Format version 2: share of the checks of a test (each encoder chunk output and state, each predictor context
    /// and joiner frame) that must still agree within <see cref="FloatTolerance"/>, so boundary flips stay rare
    /// exceptions; a wrong emulation leaves at most the float-only checks (38% measured) within it.
    /// </summary>
    public const double Int8MinShareWithinFloat = 0.5;

    public string Regenerate => $"{RefreshCommand} {Path.GetRelativePath(RepositoryRoot(), ModelPath)} (then commit {Folder})";

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

    public static string Sha256Of(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static (IReadOnlyList<GoldenSet>, IReadOnlyList<string>) Discover()
    {
        var sets = new List<GoldenSet>();
        var problems = new List<string>();
        if (Environment.GetEnvironmentVariable("EDGEVOICE_GOLDEN_DIR") is { Length: > 0 } folder)
        {
            string model = Environment.GetEnvironmentVariable("EDGEVOICE_TEST_MODEL") is { Length: > 0 } m
                ? m
                : throw new InvalidOperationException("EDGEVOICE_GOLDEN_DIR is set; set EDGEVOICE_TEST_MODEL to the .evm file it was dumped from.");
            Pair(folder, model, $"/usr/bin/python3 bench/asr/dump_golden_any.py --checkpoint {model} --output {folder}", sets, problems);
            return (sets, problems);
        }

        string root = RepositoryRoot();
        string models = Path.Combine(root, "models");
        string[] files = Directory.Exists(models) ? Directory.GetFiles(models, "*.evm").Order(StringComparer.Ordinal).ToArray() : [];
        foreach (string model in files)
        {
            if (!IsTransducer(model))
            {
                continue; // language models share the container format; their own tests check them
            }

            string name = Path.GetFileNameWithoutExtension(model);
            Pair(Path.Combine(root, "tests", "data", "golden", name), model, $"{RefreshCommand} models/{name}.evm", sets, problems);
        }

        return (sets, problems);
    }

    private static bool IsTransducer(string model)
    {
        using var metadata = System.Text.Json.JsonDocument.Parse(EdgeVoice.Nn.ModelFile.LoadContainer(model).MetadataJson);
        return metadata.RootElement.TryGetProperty("architecture", out var a) && (a.GetString() ?? "").StartsWith("convrnnt", StringComparison.Ordinal);
    }

    private static void Pair(string folder, string model, string fix, List<GoldenSet> sets, List<string> problems)
    {
        string summaryPath = Path.Combine(folder, "golden.json");
        if (!File.Exists(model))
        {
            problems.Add($"model {model} does not exist");
            return;
        }

        if (!File.Exists(summaryPath))
        {
            problems.Add($"{model} has no golden files ({summaryPath} is missing); generate them with: {fix}");
            return;
        }

        var summary = JsonDocument.Parse(File.ReadAllText(summaryPath));
        JsonElement root = summary.RootElement;
        if (root.GetProperty("golden_version").GetInt32() != SupportedVersion)
        {
            problems.Add($"{folder}: golden version {root.GetProperty("golden_version")} is not {SupportedVersion}; regenerate with: {fix}");
            return;
        }

        string expected = root.TryGetProperty("model_sha256", out JsonElement sha) ? sha.GetString() ?? "" : "";
        string actual = Sha256Of(model);
        if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(
                $"{folder} was dumped from a model with SHA-256 {(expected.Length > 0 ? expected : "(none recorded)")}, but {model} has SHA-256 {actual} " +
                $"(the model was replaced); regenerate the goldens with: {fix}");
            return;
        }

        // Goldens of a version-2 file must come from the int8 emulation; older dumps (no model_format_version) were float32 only.
        int version = EdgeVoice.Nn.ModelFile.LoadContainer(model).FormatVersion;
        if (version is not (1 or 2))
        {
            problems.Add($"{model} is format version {version}; the golden parity tests know tolerances for versions 1 and 2 only");
            return;
        }

        int dumped = root.TryGetProperty("model_format_version", out JsonElement v) ? v.GetInt32() : 1;
        if (dumped != version)
        {
            problems.Add($"{folder} was dumped as a format-version-{dumped} model, but {model} is format version {version}; regenerate with: {fix}");
            return;
        }

        sets.Add(new GoldenSet(folder, model, version, summary));
    }
}
