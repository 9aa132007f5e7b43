using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using EdgeVoice.Asr;
using EdgeVoice.Asr.Endpointing;
using EdgeVoice.Audio;
using EdgeVoice.Cloud;
using EdgeVoice.Cloud.Client;
using EdgeVoice.Cloud.Tests.Fuzzing;
using EdgeVoice.Lm;

// Load and fuzz runs of the rescoring service on loopback (docs/cloud-service.md):
//   dotnet run -c Release --project bench/cloud/CloudLoad -- load [--sessions 200] [--minutes 10] [--think-ms 1000]
//        [--lm models/lm-lstm.evm | none] [--manifest M.jsonl --count 40]
//   dotnet run -c Release --project bench/cloud/CloudLoad -- fuzz [--cases 100000] [--seed 1] [--workers 2]
// Both start the service in this process on Kestrel at 127.0.0.1 (a free port) and talk to it over real sockets.
return await CloudLoadProgram.RunAsync(args);

internal static class CloudLoadProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("load" or "fuzz"))
        {
            Console.Error.WriteLine("usage: CloudLoad load [--sessions 200] [--minutes 10] [--think-ms 1000] [--lm PATH|none] [--manifest M.jsonl --count 40] | fuzz [--cases 100000] [--seed 1] [--workers 2]");
            return 64;
        }

        try
        {
            var options = Options(args);
            return args[0] == "load" ? await LoadAsync(options) : await FuzzAsync(options);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IOException)
        {
            Console.Error.WriteLine($"CloudLoad: error: {e.Message}");
            return 65;
        }
    }

    private static async Task<int> LoadAsync(Dictionary<string, string> options)
    {
        int sessions = Int(options, "sessions", 200);
        double minutes = double.Parse(options.GetValueOrDefault("minutes", "10"), CultureInfo.InvariantCulture);
        int thinkMs = Int(options, "think-ms", 1000);
        var pairs = RealLatticePairs();
        if (options.TryGetValue("manifest", out string? manifest))
        {
            pairs.AddRange(ManifestLattices(manifest, Int(options, "count", 40)));
        }

        int[] sizes = [.. pairs.Select(p => p.Final.ToBinary().Length).Order()];
        Console.WriteLine($"lattices: {pairs.Count} (speculative, final) pairs (samples/kitchen-lights.wav{(manifest is null ? "" : " and " + manifest)}); binary sizes {sizes[0]}–{sizes[^1]} B, median {sizes[sizes.Length / 2]} B");

        string lm = options.GetValueOrDefault("lm", "none");
        ILatticeRescoringEngine engine = Engine(lm);
        Console.WriteLine($"engine: {(lm == "none" ? "acoustic only" : lm)}");
        var keys = Enumerable.Range(0, sessions).Select(i => ($"device-{i}", $"evk_load-device-{i:D4}-key")).ToArray();
        await using var app = RescoringService.Create(new RescoringServiceOptions { Port = 0 }, engine, ApiKeyStore.FromKeys(keys));
        await app.StartAsync();
        Uri address = RescoringService.ListeningAddress(app);
        var (startWorkingSet, startHeap) = Memory();
        Console.WriteLine($"service at {address}; {sessions} sessions for {minutes} min, think time {thinkMs} ms; memory at start: working set {startWorkingSet:F1} MB, GC heap {startHeap:F1} MB");

        var latencies = new List<double>();
        long utterances = 0, errors = 0, reconnects = 0;
        var firstErrors = new List<string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(minutes));
        var clock = Stopwatch.StartNew();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                // A full collection every 30 s: the heap it leaves is what the service and the live sessions hold, so a
                // leak shows as growth here (the end figure comes after the sessions are closed and cannot show one).
                var (ws, heap) = Memory();
                Console.WriteLine($"  {clock.Elapsed.TotalSeconds,5:F0} s: {Interlocked.Read(ref utterances)} utterances, {Interlocked.Read(ref errors)} errors, working set {ws:F1} MB, heap after full GC {heap:F1} MB");
            }
        });

        var devices = Enumerable.Range(0, sessions).Select(i => Task.Run(async () =>
        {
            var random = new Random(1000 + i);
            var client = new CloudClientOptions { BaseAddress = address, ApiKey = keys[i].Item2, NBest = 5, Timeout = TimeSpan.FromSeconds(30) };
            await Task.Delay(random.Next(thinkMs + 1));
            try
            {
                await using CloudSession session = await CloudSession.ConnectAsync(client);
                int utterance = 0;
                while (!stop.IsCancellationRequested)
                {
                    var (speculative, final) = pairs[random.Next(pairs.Count)];
                    utterance++;
                    try
                    {
                        await session.SendSpeculativeAsync(utterance, speculative);
                        await Task.Delay(200);
                        if (random.Next(10) == 0)
                        {
                            await session.SendResetAsync(utterance);
                        }

                        long start = Stopwatch.GetTimestamp();
                        CloudRescoringResult result = await session.SendFinalAsync(utterance, final);
                        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                        if (result.NBest.Count == 0)
                        {
                            throw new InvalidDataException("empty n-best");
                        }

                        lock (latencies)
                        {
                            latencies.Add(ms);
                        }

                        Interlocked.Increment(ref utterances);
                    }
                    catch (Exception e) when (e is CloudServiceException or InvalidDataException)
                    {
                        Record(e);
                    }

                    await Task.Delay(thinkMs / 2 + random.Next(thinkMs + 1));
                }

                Interlocked.Add(ref reconnects, session.Reconnects);
            }
            catch (OperationCanceledException)
            {
                // The run is over.
            }
            catch (CloudServiceException e)
            {
                Record(e);
            }
        })).ToArray();

        await Task.WhenAll(devices);
        await sampler;
        double seconds = clock.Elapsed.TotalSeconds;
        var (endWorkingSet, endHeap) = Memory();
        string metrics = await new HttpClient().GetStringAsync(new Uri(address, "metrics"));
        await app.StopAsync();

        double[] sorted = [.. latencies.Order()];
        Console.WriteLine($"utterances: {utterances} in {seconds:F0} s ({utterances / seconds:F1}/s); errors: {errors}; reconnects: {reconnects}");
        if (sorted.Length > 0)
        {
            Console.WriteLine($"final lattice -> result latency (client-observed, ms): p50 {Percentile(sorted, 0.50):F2}, p90 {Percentile(sorted, 0.90):F2}, p99 {Percentile(sorted, 0.99):F2}, max {sorted[^1]:F2}");
        }

        Console.WriteLine($"memory: start working set {startWorkingSet:F1} MB, GC heap {startHeap:F1} MB; end working set {endWorkingSet:F1} MB, GC heap {endHeap:F1} MB");
        foreach (string line in metrics.Split('\n').Where(l => l.StartsWith("edgevoice_errors_total", StringComparison.Ordinal)
            || l.StartsWith("edgevoice_rescore_duration_seconds_count", StringComparison.Ordinal) || l.StartsWith("edgevoice_rescore_duration_seconds_sum", StringComparison.Ordinal)
            || l.StartsWith("edgevoice_session_messages_total", StringComparison.Ordinal)))
        {
            Console.WriteLine("  " + line);
        }

        foreach (string error in firstErrors)
        {
            Console.WriteLine("  error: " + error);
        }

        return errors == 0 ? 0 : 1;

        void Record(Exception e)
        {
            Interlocked.Increment(ref errors);
            lock (firstErrors)
            {
                if (firstErrors.Count < 10)
                {
                    firstErrors.Add(e.Message);
                }
            }
        }
    }

    private static async Task<int> FuzzAsync(Dictionary<string, string> options)
    {
        int cases = Int(options, "cases", 100_000);
        int seed = Int(options, "seed", 1);
        int workers = Int(options, "workers", 2);
        WordLattice lattice = RealLatticePairs()[0].Final;
        byte[] good = lattice.ToBinary();
        var key = ("fuzzer", "evk_fuzz-key-0123456789");
        var serviceOptions = new RescoringServiceOptions { Port = 0, RateLimitBurst = 1_000_000, RateLimitPerSecond = 1_000_000 };
        await using var app = RescoringService.Create(serviceOptions, new AcousticOnlyEngine(), ApiKeyStore.FromKeys([key]));
        await app.StartAsync();
        Uri address = RescoringService.ListeningAddress(app);
        using var http = new HttpClient { BaseAddress = address };
        http.DefaultRequestHeaders.Add("X-Api-Key", key.Item2);
        var (startWorkingSet, startHeap) = Memory();

        var statuses = new SortedDictionary<int, long>();
        var failures = new List<string>();
        int next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var mutator = new LatticeMutator(good, lattice.ToJson(), seed * 7919 + w);
            int i;
            while ((i = Interlocked.Increment(ref next)) < cases)
            {
                var (body, type) = mutator.Next(i);
                var (status, problem) = await PostAsync(http, body, type);
                lock (statuses)
                {
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                    if (status != 200 && (status is < 400 or >= 500 || !problem) && failures.Count < 20)
                    {
                        failures.Add($"case {i} ({type}, {body.Length} B): {status}{(problem ? "" : " without a problem body")}: {Convert.ToBase64String(body.Take(64).ToArray())}");
                    }
                }

                if (i % 10_000 == 0)
                {
                    var (okStatus, _) = await PostAsync(http, good, LatticeMediaTypes.Binary);
                    if (okStatus != 200)
                    {
                        lock (statuses)
                        {
                            failures.Add($"a well-formed lattice got {okStatus} after {i} cases");
                        }
                    }

                    Console.WriteLine($"  {i} cases, {clock.Elapsed.TotalSeconds:F0} s");
                }
            }
        })));

        var (finalStatus, _) = await PostAsync(http, good, LatticeMediaTypes.Binary);
        var (endWorkingSet, endHeap) = Memory();
        await app.StopAsync();
        Console.WriteLine($"fuzz: {cases} mutated real lattices (seed {seed}, {workers} workers) in {clock.Elapsed.TotalSeconds:F0} s; statuses: {string.Join(", ", statuses.Select(kv => $"{kv.Key}: {kv.Value}"))}");
        Console.WriteLine($"well-formed lattice afterwards: {finalStatus}; 5xx or non-problem answers: {failures.Count}");
        Console.WriteLine($"memory: start working set {startWorkingSet:F1} MB, GC heap {startHeap:F1} MB; end working set {endWorkingSet:F1} MB, GC heap {endHeap:F1} MB");
        foreach (string failure in failures)
        {
            Console.WriteLine("  " + failure);
        }

        return failures.Count == 0 && finalStatus == 200 ? 0 : 1;
    }

    private static async Task<(int Status, bool Problem)> PostAsync(HttpClient http, byte[] body, string type)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        using var response = await http.PostAsync("v1/rescore?nbest=4", content);
        int status = (int)response.StatusCode;
        string text = await response.Content.ReadAsStringAsync();
        bool problem = false;
        if (status != 200 && response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                problem = document.RootElement.GetProperty("status").GetInt32() == status && document.RootElement.TryGetProperty("detail", out _);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                problem = false;
            }
        }

        return (status, problem);
    }

    /// <summary>(speculative, final) lattices a device would send: streamed end-point events and offline n-best lattices of samples/kitchen-lights.wav.</summary>
    private static List<(WordLattice Speculative, WordLattice Final)> RealLatticePairs()
    {
        string root = Root();
        AudioClip clip = AudioFile.Read(Path.Combine(root, "samples", "kitchen-lights.wav"));
        var pairs = new List<(WordLattice, WordLattice)>();
        foreach (int nbest in new[] { 1, 2, 4, 8 })
        {
            var recognizer = new Recognizer(new RecognizerOptions
            {
                ModelPath = Path.Combine(root, "models", "convrnnt-small.evm"),
                DecodingMethod = DecodingMethod.ModifiedBeamSearch,
                BeamWidth = Math.Max(4, nbest),
                NBestSize = nbest,
            });
            WordLattice offline = recognizer.Recognize(clip).ToLattice($"kitchen-lights-n{nbest}");
            pairs.Add((offline, offline));
            using RecognitionStream stream = recognizer.CreateStream(endpointing: EndpointingOptions.Default);
            float[] padded = [.. clip.Samples, .. new float[clip.SampleRate]];
            for (int start = 0; start < padded.Length; start += 1600)
            {
                stream.AcceptAudio(padded.AsSpan(start, Math.Min(1600, padded.Length - start)), clip.SampleRate);
            }

            stream.InputFinished();
            WordLattice? speculative = null;
            while (stream.TryGetEndpointEvent(out EndpointEvent? e))
            {
                if (e.Kind == EndpointEventKind.SpeculativeEndpoint)
                {
                    speculative = e.Lattice;
                }
                else if (e.Kind == EndpointEventKind.FinalEndpoint)
                {
                    pairs.Add((speculative ?? e.Lattice, e.Lattice));
                    speculative = null;
                }
            }
        }

        return pairs;
    }

    /// <summary>--lm none: acoustic-only ranking; else an LSTM model file with its tuned weights (metadata, then sidecar).</summary>
    private static ILatticeRescoringEngine Engine(string lm)
    {
        if (lm == "none")
        {
            return new AcousticOnlyEngine();
        }

        var model = LstmLanguageModel.Load(lm);
        return new LanguageModelEngine(model, model.TunedWeights ?? RescoringWeightsFile.TryLoadFor(lm) ?? RescoringWeights.Default);
    }

    /// <summary>Offline beam-4 lattices (4-best) of the first <paramref name="count"/> utterances of a manifest, each sent as both speculative and final.</summary>
    private static IEnumerable<(WordLattice Speculative, WordLattice Final)> ManifestLattices(string manifest, int count)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(manifest)) ?? ".";
        var recognizer = new Recognizer(new RecognizerOptions
        {
            ModelPath = Path.Combine(Root(), "models", "convrnnt-small.evm"),
            DecodingMethod = DecodingMethod.ModifiedBeamSearch,
            BeamWidth = 4,
            NBestSize = 4,
        });
        foreach (string line in File.ReadLines(manifest).Where(l => l.Trim().Length > 0).Take(count))
        {
            using var row = JsonDocument.Parse(line);
            string id = row.RootElement.GetProperty("id").GetString()!;
            WordLattice lattice = recognizer.Recognize(AudioFile.Read(Path.Combine(folder, row.RootElement.GetProperty("audio").GetString()!))).ToLattice(id);
            yield return (lattice, lattice);
        }
    }

    private static string Root()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EdgeVoice.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new IOException("run from inside the repository: EdgeVoice.slnx not found above the current folder");
    }

    private static (double WorkingSetMb, double HeapMb) Memory(bool collect = true)
    {
        if (collect)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }

        using var process = Process.GetCurrentProcess();
        return (process.WorkingSet64 / 1048576.0, GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0);
    }

    private static double Percentile(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected '--name value', got '{args[i]}'");
            }

            options[args[i][2..]] = args[++i];
        }

        return options;
    }

    private static int Int(Dictionary<string, string> options, string name, int fallback) =>
        options.TryGetValue(name, out string? text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
