using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeVoice.Asr;
using EdgeVoice.Audio;
using EdgeVoice.Features;
using EdgeVoice.Nn;

// quantbench compare <manifest.jsonl> <split> <every> <rounds> <model.evm>... [--transcripts out.tsv]
//     Every <every>-th utterance of the split, audio at its own rate, one thread. Per model: greedy transcripts
//     (WER against the manifest text, transcripts identical to the first model's), and the real-time factor of
//     streaming recognition (Recognizer.Recognize: fbank, encoder in chunk_size chunks with its state, greedy search),
//     each utterance timed with every model in turn, <rounds> times, the fastest time per model and utterance summed; and the encoder alone (EncodeChunk over
//     precomputed 16 kHz fbank in chunk_size chunks), which does not depend on how many tokens a model emits.
//     --transcripts writes every greedy transcript (model file name, utterance id, text; tab-separated), so two
//     builds of the kernels can be checked for identical output with diff.
// quantbench profile <model.evm>...
//     (compare and profile time with the thread's CPU clock instead of the wall clock when the environment variable
//     QUANTBENCH_CPU_TIME=1 is set: on a core shared with another busy process, wall-clock times include the time
//     the scheduler gave the other process, CPU time does not.)
//     Where the encoder's time goes: each weight matrix timed the way a 32-frame chunk uses it (Linear and LSTM input
//     weights on the chunk's 8 frames at once, LSTM recurrent weights as 8 single-frame products), against EncodeChunk.
// quantbench stream <model.evm> <audio> <chunk-ms>
//     One file through a RecognitionStream in fixed chunks; peak working set (run it under /usr/bin/time -v for max RSS).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (args.Length >= 6 && args[0] == "compare")
{
    int option = Array.IndexOf(args, "--transcripts");
    string? transcripts = option > 0 && option + 1 < args.Length ? args[option + 1] : null;
    string[] models = option > 0 ? [.. args[5..option], .. args[(option + 2)..]] : args[5..];
    return Compare.Run(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture), models, transcripts);
}

if (args.Length == 4 && args[0] == "stream")
{
    var recognizer = new Recognizer(new RecognizerOptions { ModelPath = args[1] });
    AudioClip clip = AudioFile.Read(args[2]);
    int chunk = clip.SampleRate * int.Parse(args[3], CultureInfo.InvariantCulture) / 1000;
    var watch = Stopwatch.StartNew();
    using RecognitionStream stream = recognizer.CreateStream();
    for (int i = 0; i < clip.Samples.Length; i += chunk)
    {
        stream.AcceptAudio(clip.Samples.AsSpan(i, Math.Min(chunk, clip.Samples.Length - i)), clip.SampleRate);
    }

    stream.InputFinished();
    string text = stream.FinalResult.Text;
    double seconds = watch.Elapsed.TotalSeconds;
    using var process = Process.GetCurrentProcess();
    Console.WriteLine($"{args[1]}: {clip.Duration.TotalSeconds:F1} s, RTF {seconds / clip.Duration.TotalSeconds:F4} (first run, JIT included), {text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length} words");
    Console.WriteLine($"peak working set {process.PeakWorkingSet64 / 1048576.0:F1} MiB, managed heap {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:F1} MiB");
    return 0;
}

if (args.Length >= 2 && args[0] == "profile")
{
    return Profile.Run(args[1..]);
}

Console.Error.WriteLine("usage: quantbench compare <manifest> <split> <every> <rounds> <model.evm>... | quantbench stream <model.evm> <audio> <chunk-ms>");
return 2;

/// <summary>Same utterances, several models: WER, agreement with the first model, and streaming RTF.</summary>
internal static class Compare
{
    private const int WarmUpUtterances = 20;

    public static int Run(string manifest, string split, int every, int rounds, string[] models, string? transcripts)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(manifest))!;
        var utterances = new List<(string Id, string Text, AudioClip Clip)>();
        var paths = new List<string>();
        int seen = 0;
        foreach (string line in File.ReadLines(manifest))
        {
            using JsonDocument row = JsonDocument.Parse(line);
            JsonElement r = row.RootElement;
            if (r.GetProperty("split").GetString() != split || seen++ % every != 0)
            {
                continue;
            }

            string path = Path.Combine(folder, r.GetProperty("audio").GetString()!);
            paths.Add(path);
            utterances.Add((r.GetProperty("id").GetString()!, r.GetProperty("text").GetString()!, AudioFile.ReadAtSourceRate(path)));
        }

        double audio = utterances.Sum(u => u.Clip.Duration.TotalSeconds);
        Console.WriteLine($"{utterances.Count} utterances (every {every}th of split {split} of {manifest}), {audio:F1} s; int8 path {Int8Paths.Best}; {Clock.Kind}");
        var transducers = models.Select(TransducerModel.Load).ToArray();
        var recognizers = transducers.Select(m => new Recognizer(m, new RecognizerOptions())).ToArray();
        var samples16k = paths.Select(p => AudioFile.Read(p).Samples).ToList();
        var fbanks = samples16k.Select(s => Fbank.Compute(s, transducers[0].FeatureOptions).Data).ToList();
        double fbankBest = 0; // the same for every model: fbank of the 16 kHz samples, fastest of <rounds>
        var encoderBest = new double[models.Length];
        var texts = new string[models.Length][];
        var best = new double[models.Length];
        for (int m = 0; m < models.Length; m++)
        {
            foreach (var u in utterances.Take(WarmUpUtterances))
            {
                recognizers[m].Recognize(u.Clip);
            }
        }

        // Per utterance, the models in turn, <rounds> times; each (model, utterance) keeps its fastest time, so a
        // burst of load on this shared machine hurts one measurement rather than one model.
        var recognise = new double[models.Length, utterances.Count];
        var encode = new double[models.Length, utterances.Count];
        for (int m = 0; m < models.Length; m++)
        {
            texts[m] = new string[utterances.Count];
            for (int i = 0; i < utterances.Count; i++)
            {
                recognise[m, i] = encode[m, i] = double.MaxValue;
            }
        }

        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < utterances.Count; i++)
            {
                for (int m = 0; m < models.Length; m++)
                {
                    double started = Clock.Seconds();
                    texts[m][i] = recognizers[m].Recognize(utterances[i].Clip).Text;
                    recognise[m, i] = Math.Min(recognise[m, i], Clock.Seconds() - started);
                    encode[m, i] = Math.Min(encode[m, i], TimeEncoder(transducers[m], fbanks[i]));
                }
            }
        }

        for (int i = 0; i < utterances.Count; i++)
        {
            double fastest = double.MaxValue;
            for (int round = 0; round < rounds; round++)
            {
                double started = Clock.Seconds();
                Fbank.Compute(samples16k[i], transducers[0].FeatureOptions);
                fastest = Math.Min(fastest, Clock.Seconds() - started);
            }

            fbankBest += fastest;
        }

        Console.WriteLine($"fbank alone (16 kHz samples, whole utterance): RTF {fbankBest / audio:F5}");
        for (int m = 0; m < models.Length; m++)
        {
            best[m] = Enumerable.Range(0, utterances.Count).Sum(i => recognise[m, i]);
            encoderBest[m] = Enumerable.Range(0, utterances.Count).Sum(i => encode[m, i]);
        }

        Console.WriteLine("model                                          bytes       WER   same-as-first   RTF      speed-up  encoder RTF  speed-up");
        for (int m = 0; m < models.Length; m++)
        {
            (int errors, int words) = (0, 0);
            for (int i = 0; i < utterances.Count; i++)
            {
                string[] reference = Words(utterances[i].Text);
                errors += EditDistance(reference, Words(texts[m][i]));
                words += reference.Length;
            }

            int same = texts[m].Zip(texts[0], (a, b) => a == b).Count(x => x);
            Console.WriteLine($"{models[m],-44} {new FileInfo(models[m]).Length,10:N0} {100.0 * errors / words,7:F2}%   {same,4}/{utterances.Count}    {best[m] / audio:F5}  {best[0] / best[m]:F2}x     {encoderBest[m] / audio:F5}    {encoderBest[0] / encoderBest[m]:F2}x");
        }

        if (transcripts is not null)
        {
            File.WriteAllLines(transcripts, Enumerable.Range(0, models.Length).SelectMany(
                m => Enumerable.Range(0, utterances.Count).Select(i => $"{Path.GetFileName(models[m])}\t{utterances[i].Id}\t{texts[m][i]}")));
        }

        return 0;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<TransducerModel, FloatArena> Arenas = new();

    /// <summary>Seconds to run one utterance's fbank through the encoder in chunks, with a fresh state.</summary>
    /// <remarks>One arena per model, reused as streams reuse theirs: a fresh one per utterance timed page faults, not the encoder.</remarks>
    private static double TimeEncoder(TransducerModel model, float[] fbank)
    {
        FloatArena arena = Arenas.GetValue(model, _ => new FloatArena(256 * 1024));
        arena.Reset();
        int chunk = model.ChunkInputFrames * model.Dimensions.NumMelBins;
        var output = new float[model.ChunkSize * model.EncoderOutputDim];
        EncoderState state = model.CreateEncoderState();
        double started = Clock.Seconds();
        for (int i = 0; i < fbank.Length; i += chunk)
        {
            model.EncodeChunk(fbank.AsSpan(i, Math.Min(chunk, fbank.Length - i)), state, output, arena);
        }

        return Clock.Seconds() - started;
    }

    private static string[] Words(string text) => text.ToUpperInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static int EditDistance(string[] a, string[] b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}

/// <summary>Per-matrix timing at the encoder's shapes (fastest of several repetitions), and the whole EncodeChunk.</summary>
internal static class Profile
{

    public static int Run(string[] models)
    {
        // Two passes over everything, the first only to let tiered JIT settle; the second is printed.
        foreach ((string path, TextWriter log) in models.Select(m => (m, TextWriter.Null)).Concat(models.Select(m => (m, Console.Out))))
        {
            ModelFile file = ModelFile.Load(path);
            TransducerModel model = TransducerModel.FromModelFile(file);
            int frames = model.ChunkSize;
            var random = new Random(1);
            double matrices = 0;
            log.WriteLine($"{path}: int8 path {Int8Paths.Best}, {frames} frames per chunk; microseconds per chunk (fastest of 20 x 50, {Clock.Kind})");
            foreach (string name in file.TensorNames)
            {
                ModelTensor tensor = file.GetTensor(name);
                if (tensor.Shape.Count != 2 || tensor.Shape[1] < 16 || name.Contains("embedding", StringComparison.Ordinal))
                {
                    continue;
                }

                int rows = tensor.Shape[0], cols = tensor.Shape[1];
                bool recurrent = name.Contains("weight_hh", StringComparison.Ordinal);
                float[] x = Enumerable.Range(0, frames * cols).Select(_ => (random.NextSingle() * 2) - 1).ToArray();
                var y = new float[frames * rows];
                var bias = new float[rows];
                IWeightMatrix? m = tensor.Matrix;
                float[] w = m is null ? tensor.Data.ToArray() : [];
                Action run = (m, recurrent) switch
                {
                    (null, true) => () =>
                    {
                        for (int t = 0; t < frames; t++)
                        {
                            MatrixVector.Multiply(w, x.AsSpan(t * cols, cols), bias, y.AsSpan(t * rows, rows));
                        }
                    },
                    (null, false) => () => MatrixMultiply.MultiplyTransposed(x, w, bias, y, frames, rows, cols),
                    (_, true) => () =>
                    {
                        for (int t = 0; t < frames; t++)
                        {
                            m.MultiplyVector(x.AsSpan(t * cols, cols), bias, y.AsSpan(t * rows, rows));
                        }
                    },
                    _ => () => m.MultiplyFrames(x, bias, y, frames),
                };
                double us = Fastest(run);
                bool encoder = name.StartsWith("encoder.", StringComparison.Ordinal);
                if (encoder)
                {
                    matrices += us;
                }

                log.WriteLine($"  {name,-40} {rows,5}x{cols,-5} {tensor.Storage,-16} {(recurrent ? "8x vector" : "8 frames"),-10} {us,8:F2}");
            }

            FloatParts(file, model, log);
            var fbank = Enumerable.Range(0, model.ChunkInputFrames * model.Dimensions.NumMelBins).Select(_ => random.NextSingle() * 10).ToArray();
            var output = new float[model.ChunkSize * model.EncoderOutputDim];
            var arena = new FloatArena();
            EncoderState state = model.CreateEncoderState();
            double chunk = Fastest(() => model.EncodeChunk(fbank, state, output, arena));
            log.WriteLine($"  encoder matrices {matrices:F2} us, EncodeChunk {chunk:F2} us per chunk (rest {chunk - matrices:F2} us)");
        }

        return 0;
    }

    /// <summary>The float layers of one chunk that do not depend on the weights' storage (same for every engine).</summary>
    private static void FloatParts(ModelFile file, TransducerModel model, TextWriter log)
    {
        var d = model.Dimensions;
        var random = new Random(2);
        var arena = new FloatArena();
        int t1 = Conv2dStride2.OutputFrames(model.ChunkInputFrames), t2 = model.ChunkSize;
        var conv1 = CausalConv2d.FromModel(file, "encoder.subsampling.conv1", d.NumMelBins);
        var conv2 = CausalConv2d.FromModel(file, "encoder.subsampling.conv2", d.SubsamplingBins1);
        float[] x1 = Enumerable.Range(0, model.ChunkInputFrames * conv1.InFrameSize).Select(_ => random.NextSingle()).ToArray();
        float[] y1 = new float[t1 * conv1.OutFrameSize], h1 = new float[conv1.HistoryLength];
        float[] y2 = new float[t2 * conv2.OutFrameSize], h2 = new float[conv2.HistoryLength];
        var norm = LayerNorm.FromModel(file, "encoder.global_block.norm");
        float[] z = Enumerable.Range(0, t2 * d.EncoderDim).Select(_ => random.NextSingle()).ToArray();
        float[] zn = new float[z.Length];
        float[] gates = Enumerable.Range(0, 4 * d.LstmHidden).Select(_ => random.NextSingle() * 4 - 2).ToArray();
        float[] g = new float[gates.Length], c = new float[d.LstmHidden], h = new float[d.LstmHidden];
        double us1 = Fastest(() => { arena.Reset(); conv1.Forward(x1, h1, y1, arena); });
        double us2 = Fastest(() => { arena.Reset(); conv2.Forward(y1, h2, y2, arena); });
        double usNorm = Fastest(() => norm.Forward(z, zn));
        double usCell = Fastest(() =>
        {
            for (int t = 0; t < t2 * d.LstmLayers; t++)
            {
                gates.CopyTo(g, 0);
                Array.Clear(c);
                LstmCell.Update(g, c, h);
            }
        });
        log.WriteLine($"  float parts: conv1 {us1:F2} us, conv2 {us2:F2} us, one LayerNorm {usNorm:F2} us, LSTM cell x{t2 * d.LstmLayers} {usCell:F2} us");
    }

    private static double Fastest(Action run)
    {
        for (int i = 0; i < 200; i++)
        {
            run();
        }

        double best = double.MaxValue;
        for (int rep = 0; rep < 20; rep++)
        {
            double start = Clock.Seconds();
            for (int i = 0; i < 50; i++)
            {
                run();
            }

            best = Math.Min(best, (Clock.Seconds() - start) * 1e6 / 50);
        }

        return best;
    }
}

/// <summary>Seconds from the wall clock, or from the calling thread's CPU clock when QUANTBENCH_CPU_TIME=1 (Linux).</summary>
internal static partial class Clock
{
    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID

    private static readonly bool CpuTime = Environment.GetEnvironmentVariable("QUANTBENCH_CPU_TIME") == "1";

    public static string Kind => CpuTime ? "thread CPU time" : "wall clock";

    public static double Seconds()
    {
        if (!CpuTime)
        {
            return Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
        }

        if (ClockGetTime(ThreadCpuClock, out TimeSpec now) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        }

        return now.Seconds + (now.Nanoseconds * 1e-9);
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
