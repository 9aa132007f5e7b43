using System.Runtime.CompilerServices;
using EdgeVoice.Asr;
using EdgeVoice.Asr.Endpointing;
using EdgeVoice.Audio;

namespace EdgeVoice.Cloud.Tests;

/// <summary>
/// Lattices made by the real recognizer (models/convrnnt-small.evm, beam search) from samples/kitchen-lights.wav, the
/// audio they came from, and the end-point events of streaming it: what a device would send. Computed once.
/// </summary>
internal static class RealLattices
{
    private static readonly Lazy<Data> Cached = new(Compute);

    /// <summary>The nearest folder holding EdgeVoice.slnx above the test assembly or, with --artifacts-path, above this source file.</summary>
    public static string RepositoryRoot => FindRoot(AppContext.BaseDirectory) ?? FindRoot(SourceFolder()) ??
        throw new InvalidOperationException("EdgeVoice.slnx not found above " + AppContext.BaseDirectory + " or " + SourceFolder());

    /// <summary>The whole file recognised at once: its lattice (n-best 4).</summary>
    public static WordLattice Offline => Cached.Value.Offline;

    /// <summary>The 16 kHz mono samples the recognizer heard.</summary>
    public static float[] Samples16k => Cached.Value.Samples;

    /// <summary>The end-point events of streaming the file (plus 1 s of silence) in 100 ms chunks.</summary>
    public static IReadOnlyList<EndpointEvent> Events => Cached.Value.Events;

    private static Data Compute()
    {
        string root = RepositoryRoot;
        var recognizer = new Recognizer(new RecognizerOptions
        {
            ModelPath = Path.Combine(root, "models", "convrnnt-small.evm"),
            DecodingMethod = DecodingMethod.ModifiedBeamSearch,
            NBestSize = 4,
        });
        AudioClip clip = AudioFile.Read(Path.Combine(root, "samples", "kitchen-lights.wav"));
        WordLattice offline = recognizer.Recognize(clip).ToLattice("kitchen-lights");

        var events = new List<EndpointEvent>();
        using RecognitionStream stream = recognizer.CreateStream(endpointing: EndpointingOptions.Default);
        float[] padded = [.. clip.Samples, .. new float[clip.SampleRate]];
        for (int start = 0; start < padded.Length; start += 1600)
        {
            stream.AcceptAudio(padded.AsSpan(start, Math.Min(1600, padded.Length - start)), clip.SampleRate);
            Drain();
        }

        stream.InputFinished();
        Drain();
        return new Data(offline, clip.Samples, events);

        void Drain()
        {
            while (stream.TryGetEndpointEvent(out EndpointEvent? e))
            {
                events.Add(e);
            }
        }
    }

    private static string? FindRoot(string start)
    {
        var directory = new DirectoryInfo(start);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EdgeVoice.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName;
    }

    private static string SourceFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? "/";

    private sealed record Data(WordLattice Offline, float[] Samples, IReadOnlyList<EndpointEvent> Events);
}
