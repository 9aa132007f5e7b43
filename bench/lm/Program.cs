// LM tool and benchmark (docs/language-models.md has every command):
//   train-ngram <train.txt> <out.arpa[.gz]> [--order N]   trains interpolated modified Kneser-Ney
//   perplexity <model.arpa[.gz]|model.evm> <text>...       perplexity per word (end of sentence counted)
//   speed <model.arpa[.gz]|model.evm> <text> [--paths 10] [--lattices 200]
//                                                          single-thread time to rescore 10-path lattices built
//                                                          from the text's sentences with word substitutions
using System.Diagnostics;
using System.Globalization;
using EdgeVoice.Asr;
using EdgeVoice.Lm;

return args.Length == 0 ? Usage() : args[0] switch
{
    "train-ngram" => TrainNgram(args),
    "perplexity" => Perplexity(args),
    "speed" => Speed(args),
    "kernel" => Kernel(),
    _ => Usage(),
};

// CPU time of the LSTM step's two matrix products for m rows (m trie nodes of one level).
static int Kernel()
{
    const int h = 384, g = 4 * h, v = 1000;
    var rng = new Random(1);
    float[] R(int n) => Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
    float[] wHh = R(g * h), wOut = R(v * h), bias = R(v);
    foreach (int m in new[] { 1, 2, 3, 4, 8, 16 })
    {
        float[] a = R(m * h), c1 = new float[m * g], c2 = new float[m * v];
        for (int i = 0; i < 20; i++)
        {
            EdgeVoice.Nn.MatrixMultiply.MultiplyTransposed(a, wHh, [], c1, m, g, h);
        }

        TimeSpan t0 = Process.GetCurrentProcess().TotalProcessorTime;
        const int reps = 300;
        for (int i = 0; i < reps; i++)
        {
            EdgeVoice.Nn.MatrixMultiply.MultiplyTransposed(a, wHh, [], c1, m, g, h);
            EdgeVoice.Nn.MatrixMultiply.MultiplyTransposed(a, wOut, bias, c2, m, v, h);
        }

        double ms = (Process.GetCurrentProcess().TotalProcessorTime - t0).TotalMilliseconds / reps;
        Console.WriteLine(FormattableString.Invariant($"m={m,2}: {ms:F3} ms CPU per level, {ms / m:F3} ms per row, {2.0 * m * (g + v) * h / ms / 1e6:F1} GFLOP/s"));
    }

    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: train-ngram <train.txt> <out.arpa[.gz]> [--order N] | perplexity <model> <text>... | speed <model> <text> [--paths N] [--lattices N]");
    return 2;
}

static IEnumerable<string[]> Sentences(string path) =>
    File.ReadLines(path).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(s => s.Length > 0);

static ILanguageModel LoadModel(string path) =>
    path.EndsWith(".evm", StringComparison.Ordinal) ? LstmLanguageModel.Load(path) : ArpaLanguageModel.Load(path);

static string Option(string[] args, string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

static int TrainNgram(string[] args)
{
    int order = int.Parse(Option(args, "--order", "3"), CultureInfo.InvariantCulture);
    var sw = Stopwatch.StartNew();
    ArpaLanguageModel lm = KneserNeyTrainer.Train(Sentences(args[1]), new KneserNeyOptions { Order = order }, Path.GetFileName(args[2]));
    lm.Save(args[2]);
    Console.WriteLine($"{lm} trained and written to {args[2]} in {sw.Elapsed.TotalSeconds:F1} s ({new FileInfo(args[2]).Length} bytes)");
    return 0;
}

static int Perplexity(string[] args)
{
    ILanguageModel lm = LoadModel(args[1]);
    foreach (string text in args.Skip(2))
    {
        var sentences = Sentences(text).ToList();
        PerplexityResult r = lm is ArpaLanguageModel arpa ? arpa.Perplexity(sentences) : PerplexityResult.Compute(lm, sentences);
        Console.WriteLine($"{lm.Name} on {text}: {r}");
    }

    return 0;
}

static int Speed(string[] args)
{
    ILanguageModel lm = LoadModel(args[1]);
    int paths = int.Parse(Option(args, "--paths", "10"), CultureInfo.InvariantCulture);
    int count = int.Parse(Option(args, "--lattices", "200"), CultureInfo.InvariantCulture);
    var sentences = Sentences(args[2]).ToList();
    string[] vocabulary = sentences.SelectMany(s => s).Distinct().Order(StringComparer.Ordinal).ToArray();
    var rng = new Random(1);
    var lattices = new List<WordLattice>();
    for (int i = 0; i < count; i++)
    {
        lattices.Add(NBestLattice(sentences[i % sentences.Count], paths, vocabulary, rng));
    }

    var rescorer = new LatticeRescorer(lm, new RescoringWeights(0.5, 0.5));
    foreach (WordLattice l in lattices.Take(20))
    {
        rescorer.Rescore(l, 10); // warm-up (JIT, tiered compilation)
    }

    var times = new List<double>();
    int words = 0;
    TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    for (int round = 0; round < 3; round++)
    {
        foreach (WordLattice l in lattices)
        {
            long t0 = Stopwatch.GetTimestamp();
            IReadOnlyList<RescoredHypothesis> n = rescorer.Rescore(l, 10);
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            words += n[0].Words.Count;
        }
    }

    double cpuPerLattice = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds / times.Count;
    times.Sort();
    double mean = times.Average();
    double nodes = lm is LstmLanguageModel lstm
        ? lattices.Average(l => l.BestPaths(paths, 0).Select(p => lstm.Encode(p.Words)).SelectMany(ids => Enumerable.Range(1, ids.Count).Select(k => string.Join(',', ids.Take(k)))).Distinct().Count())
        : 0;
    double avgPaths = lattices.Average(l => l.BestPaths(paths, 0).Count);
    double avgWords = lattices.Average(l => l.BestPaths(1, 0)[0].Words.Count);
    Console.WriteLine(FormattableString.Invariant(
        $"{lm.Name}: {lattices.Count} lattices × 3, {avgPaths:F1} paths and {avgWords:F1} words per lattice on average; one thread: mean {mean:F3} ms, median {times[times.Count / 2]:F3} ms, p90 {times[(int)(times.Count * 0.9)]:F3} ms, p99 {times[(int)(times.Count * 0.99)]:F3} ms per lattice (wall clock); process CPU time {cpuPerLattice:F3} ms per lattice; {nodes:F1} prefix-tree nodes (LSTM steps) per lattice"));
    return words > 0 ? 0 : 1;
}

// An n-best lattice like a device's: the sentence plus variants with one or two words substituted, deleted or
// inserted (later positions more often, as beams differ late), acoustic scores decreasing with rank.
static WordLattice NBestLattice(string[] sentence, int paths, string[] vocabulary, Random rng)
{
    var variants = new List<string[]> { sentence };
    var seen = new HashSet<string> { string.Join(' ', sentence) };
    for (int attempt = 0; variants.Count < paths && attempt < 200; attempt++)
    {
        var v = sentence.ToList();
        for (int edits = 1 + rng.Next(2); edits > 0; edits--)
        {
            int pos = Math.Min(v.Count - 1, (int)(v.Count * Math.Sqrt(rng.NextDouble())));
            switch (rng.Next(3))
            {
                case 0 when v.Count > 0: v[Math.Max(0, pos)] = vocabulary[rng.Next(vocabulary.Length)]; break;
                case 1 when v.Count > 1: v.RemoveAt(Math.Max(0, pos)); break;
                default: v.Insert(Math.Max(0, pos), vocabulary[rng.Next(vocabulary.Length)]); break;
            }
        }

        if (seen.Add(string.Join(' ', v)))
        {
            variants.Add(v.ToArray());
        }
    }

    // A trie of the variants (shared prefixes share arcs); the path score sits on the final weight.
    var arcs = new List<LatticeArc>();
    var final = new List<float> { float.NaN };
    var children = new List<Dictionary<string, int>> { new() };
    for (int r = 0; r < variants.Count; r++)
    {
        int node = 0;
        for (int i = 0; i < variants[r].Length; i++)
        {
            if (!children[node].TryGetValue(variants[r][i], out int child))
            {
                child = final.Count;
                children[node][variants[r][i]] = child;
                children.Add(new());
                final.Add(float.NaN);
                arcs.Add(new LatticeArc(node, child, variants[r][i], 3 * i, 3 * i + 3, -0.1f, float.NaN));
            }

            node = child;
        }

        final[node] = -2f * r - (float)rng.NextDouble();
    }

    return new WordLattice(final.Count, arcs, final, 0.04, "bench");
}
