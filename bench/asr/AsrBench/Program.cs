using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeVoice.Asr;
using EdgeVoice.Audio;

// asrbench speed  <model.evm> <manifest.jsonl> <split> <limit>   greedy and beam-4 RTF plus lattice sizes, one thread
// asrbench stream <model.evm> <audio file> <chunk ms>            one file through a RecognitionStream in chunks
// asrbench hyps   <model.evm> <manifest.jsonl> <split> <out.jsonl> greedy transcripts, audio passed at its own rate
//                 (manifest sample_rate), so the recognizer resamples the way the model's metadata says
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (args.Length == 5 && args[0] == "speed")
{
    return SpeedRun.Run(args[1], args[2], args[3], int.Parse(args[4], CultureInfo.InvariantCulture));
}

if (args.Length == 4 && args[0] == "stream")
{
    return StreamRun.Run(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture));
}

if (args.Length == 5 && args[0] == "hyps")
{
    return HypsRun.Run(args[1], args[2], args[3], args[4]);
}

Console.Error.WriteLine("usage: asrbench speed <model.evm> <manifest.jsonl> <split> <limit> | asrbench stream <model.evm> <audio> <chunk-ms>");
return 2;

/// <summary>Greedy and beam-4 real-time factors over the first utterances of a manifest split, and lattice sizes.</summary>
internal static class SpeedRun
{
    private const int WarmUpUtterances = 20;

    public static int Run(string modelPath, string manifest, string split, int limit)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(manifest))!;
        var utterances = new List<(string Id, AudioClip Clip)>();
        foreach (string line in File.ReadLines(manifest))
        {
            using JsonDocument row = JsonDocument.Parse(line);
            if (row.RootElement.GetProperty("split").GetString() != split)
            {
                continue;
            }

            utterances.Add((row.RootElement.GetProperty("id").GetString()!, AudioFile.Read(Path.Combine(folder, row.RootElement.GetProperty("audio").GetString()!))));
            if (utterances.Count == limit)
            {
                break;
            }
        }

        var model = TransducerModel.Load(modelPath);
        var greedy = new Recognizer(model, new RecognizerOptions());
        var beam = new Recognizer(model, new RecognizerOptions { DecodingMethod = DecodingMethod.ModifiedBeamSearch, BeamWidth = 4, NBestSize = 4 });
        // Warm-up, not timed: enough utterances for tiered compilation to reach its optimised code.
        foreach (var u in utterances.Take(WarmUpUtterances))
        {
            greedy.Recognize(u.Clip);
            beam.Recognize(u.Clip);
        }

        double audio = utterances.Sum(u => u.Clip.Duration.TotalSeconds);
        double greedySeconds = Time(() => { foreach (var u in utterances) { greedy.Recognize(u.Clip); } });
        var lattices = new long[utterances.Count];
        var pcm = new long[utterances.Count];
        double beamSeconds = Time(() =>
        {
            for (int i = 0; i < utterances.Count; i++)
            {
                RecognitionResult r = beam.Recognize(utterances[i].Clip);
                lattices[i] = r.ToLattice(utterances[i].Id).ToBinary().Length;
                pcm[i] = 2L * utterances[i].Clip.Samples.Length;
            }
        });

        double greedyAgain = Time(() => { foreach (var u in utterances) { greedy.Recognize(u.Clip); } });

        Console.WriteLine($"model {modelPath}: {model}");
        Console.WriteLine($"{utterances.Count} utterances of {manifest} split {split}, {audio:F1} s of audio; fbank + encoder + search timed, file decoding not");
        Console.WriteLine($"C# greedy       RTF {greedySeconds / audio:F4} ({greedySeconds:F2} s); again after beam: RTF {greedyAgain / audio:F4}");
        Console.WriteLine($"C# beam 4       RTF {beamSeconds / audio:F4} ({beamSeconds:F2} s, lattice building and binary encoding included)");
        Console.WriteLine($"lattice bytes   mean {lattices.Average():F1}, median {Median(lattices):F1}, min {lattices.Min()}, max {lattices.Max()} (binary, int16 scores, n-best 4)");
        Console.WriteLine($"16-bit PCM      mean {pcm.Average():F0}, median {Median(pcm):F0} bytes at the files' own rates");
        Console.WriteLine($"lattice / PCM   {lattices.Sum() / (double)pcm.Sum():E2} (totals), median of per-utterance ratios {Median(lattices.Zip(pcm, (l, p) => (double)l / p).ToArray()):E2}");
        return 0;
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    private static double Median(IReadOnlyList<long> values) => Median(values.Select(v => (double)v).ToArray());

    private static double Median(double[] values)
    {
        Array.Sort(values);
        int n = values.Length;
        return n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
    }
}

/// <summary>Streams one audio file through a <see cref="RecognitionStream"/> in fixed chunks; reports the peak working set.</summary>
internal static class StreamRun
{
    public static int Run(string modelPath, string audioPath, int chunkMs)
    {
        var recognizer = new Recognizer(new RecognizerOptions { ModelPath = modelPath });
        AudioClip clip = AudioFile.Read(audioPath);
        int chunk = clip.SampleRate * chunkMs / 1000;
        var watch = Stopwatch.StartNew();
        using RecognitionStream stream = recognizer.CreateStream();
        for (int i = 0; i < clip.Samples.Length; i += chunk)
        {
            stream.AcceptAudio(clip.Samples.AsSpan(i, Math.Min(chunk, clip.Samples.Length - i)), clip.SampleRate);
        }

        stream.InputFinished();
        RecognitionResult result = stream.FinalResult;
        double seconds = watch.Elapsed.TotalSeconds;
        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"{clip.Duration.TotalSeconds:F1} s in {chunkMs} ms chunks: RTF {seconds / clip.Duration.TotalSeconds:F4}, {result.TokenIds.Count} tokens");
        Console.WriteLine($"peak working set {process.PeakWorkingSet64 / 1048576.0:F1} MiB, managed heap {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:F1} MiB, total allocated {GC.GetTotalAllocatedBytes() / 1048576.0:F1} MiB");
        return 0;
    }
}

/// <summary>Greedy transcripts of a manifest split with the audio at its own rate (the recognizer resamples it).</summary>
internal static class HypsRun
{
    public static int Run(string modelPath, string manifest, string split, string outPath)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(manifest))!;
        var recognizer = new Recognizer(new RecognizerOptions { ModelPath = modelPath });
        var lines = new List<string>();
        foreach (string line in File.ReadLines(manifest))
        {
            using JsonDocument row = JsonDocument.Parse(line);
            JsonElement r = row.RootElement;
            if (r.GetProperty("split").GetString() != split)
            {
                continue;
            }

            AudioClip clip = AudioFile.Read(Path.Combine(folder, r.GetProperty("audio").GetString()!), r.GetProperty("sample_rate").GetInt32());
            string text = recognizer.Recognize(clip).Text;
            lines.Add(JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = r.GetProperty("id").GetString()!, ["text"] = text }));
        }

        File.WriteAllLines(outPath, lines);
        Console.WriteLine($"{lines.Count} transcripts of {manifest} split {split} written to {outPath} (resampling: {(recognizer.Model.ResamplesLikeTorchaudio ? "torchaudio sinc_interpolation" : "Kaiser")})");
        return 0;
    }
}
