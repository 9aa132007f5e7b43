#:project ../../../src/EdgeVoice.Asr/EdgeVoice.Asr.csproj
#:property PublishAot=false
// Time to build a biasing context (tokenize + trie + failure links) for 1,000 and 10,000 contact names, and the
// real-time factor of beam search with and without a 1,000-name context.
// Run from the repository root:  dotnet run -c Release bench/asr/context-build/context_build.cs [model.evm] [audio.wav]
// Names: "FIRST LAST" drawn with seed 1 from data/words/first_names.txt × last_names.txt.
using System.Diagnostics;
using EdgeVoice.Asr;
using EdgeVoice.Asr.Biasing;
using EdgeVoice.Audio;

string model = args.Length > 0 ? args[0] : "models/convrnnt-small.evm";
string audio = args.Length > 1 ? args[1] : "samples/kitchen-lights.wav";
static string[] Words(string path) =>
    File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
string[] first = Words("data/words/first_names.txt"), last = Words("data/words/last_names.txt");
var random = new Random(1);
List<ContextPhrase> Names(int n) => Enumerable.Range(0, n).Select(_ => new ContextPhrase($"{first[random.Next(first.Length)]} {last[random.Next(last.Length)]}")).ToList();

var recognizer = new Recognizer(new RecognizerOptions { ModelPath = model, DecodingMethod = DecodingMethod.ModifiedBeamSearch });
Console.WriteLine($"model {model}, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
recognizer.CreateContext(Names(2000)); // warm-up (JIT)
foreach (int n in new[] { 1000, 10000 })
{
    List<ContextPhrase> names = Names(n);
    var cold = new List<double>();
    var warm = new List<double>();
    ContextGraph? graph = null;
    for (int run = 0; run < 15; run++)
    {
        var watch = Stopwatch.StartNew();
        graph = ContextGraph.Build(names, SentencePieceBpeEncoder.ForModel(recognizer.Model)); // fresh encoder: no word cache
        cold.Add(watch.Elapsed.TotalMilliseconds);
        watch.Restart();
        recognizer.CreateContext(names); // the recognizer's encoder has seen these names
        warm.Add(watch.Elapsed.TotalMilliseconds);
    }

    cold.Sort();
    warm.Sort();
    Console.WriteLine($"{n,6} phrases ({graph!.NodeCount} nodes): build median {cold[7]:F2} ms (min {cold[0]:F2}) with a fresh encoder, {warm[7]:F2} ms (min {warm[0]:F2}) with the recognizer's word cache; 15 runs");
}

AudioClip clip = AudioFile.Read(audio);
ContextGraph thousand = recognizer.CreateContext(Names(1000));
var plainRuns = new List<double>();
var biasedRuns = new List<double>();
recognizer.Recognize(clip, thousand);
for (int run = 0; run < 15; run++) // interleaved, so load from other processes hits both alike
{
    foreach ((ContextGraph? context, List<double> times) in new[] { ((ContextGraph?)null, plainRuns), (thousand, biasedRuns) })
    {
        var watch = Stopwatch.StartNew();
        recognizer.Recognize(clip, context);
        times.Add(watch.Elapsed.TotalSeconds / clip.Duration.TotalSeconds);
    }
}

plainRuns.Sort();
biasedRuns.Sort();
double plain = plainRuns[7], biased = biasedRuns[7];
Console.WriteLine($"RTF beam 4 on {audio} ({clip.Duration.TotalSeconds:F1} s), median of 15 interleaved: no context {plain:F4}, 1,000-name context {biased:F4} ({(biased / plain - 1) * 100:+0.0;-0.0}%)");
return 0;
