using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace EdgeVoice.Lm;

/// <summary>
/// A back-off n-gram language model in the ARPA format (as written by SRILM, KenLM and <see cref="KneserNeyTrainer"/>).
/// Scores with the standard back-off rule: log P(w | h) is the n-gram's own probability when (h, w) is listed,
/// otherwise back-off(h) + log P(w | h minus its first word). The file stores log10; every public score is a
/// natural log. Sentences start with the context &lt;s&gt; and end with the event &lt;/s&gt;; a word not in the
/// vocabulary is scored as &lt;unk&gt; (a model without &lt;unk&gt; gets one with log10 probability −100, as KenLM does).
/// Immutable and thread-safe.
/// </summary>
/// <example>
/// <code>
/// var lm = ArpaLanguageModel.Load("models/lm-3gram.arpa.gz");
/// double ln = lm.ScoreSentence(["SET", "A", "TIMER"]);
/// PerplexityResult ppl = lm.Perplexity(File.ReadLines("dev.txt").Select(l => l.Split(' ')));
/// </code>
/// </example>
public sealed class ArpaLanguageModel : IWordScoringLanguageModel
{
    /// <summary>The sentence-start word.</summary>
    public const string SentenceStart = "<s>";

    /// <summary>The sentence-end word.</summary>
    public const string SentenceEnd = "</s>";

    /// <summary>The unknown word.</summary>
    public const string Unknown = "<unk>";

    /// <summary>log10 probability given to &lt;unk&gt; when the file has none (KenLM's choice).</summary>
    public const float MissingUnknownLog10Prob = -100f;

    internal const double Ln10 = 2.302585092994046;

    private readonly NgramTable[] _tables;
    private readonly Dictionary<string, int> _ids;
    private readonly List<string> _words;
    private readonly int _start, _end, _unknown;

    internal ArpaLanguageModel(string name, List<string> words, Dictionary<string, int> ids, NgramTable[] tables, bool unknownAdded)
    {
        Name = name;
        _words = words;
        _ids = ids;
        _tables = tables;
        UnknownWasAdded = unknownAdded;
        _start = ids[SentenceStart];
        _end = ids[SentenceEnd];
        _unknown = ids[Unknown];
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>The highest n-gram order.</summary>
    public int Order => _tables.Length;

    /// <summary>Number of words in the vocabulary (the unigrams, &lt;s&gt;, &lt;/s&gt; and &lt;unk&gt; included).</summary>
    public int VocabularySize => _words.Count;

    /// <summary>True when the file had no &lt;unk&gt; and one was added (log10 probability −100).</summary>
    public bool UnknownWasAdded { get; }

    /// <summary>Number of n-grams listed for each order (index 0 = unigrams).</summary>
    public IReadOnlyList<int> NgramCounts => _tables.Select(t => t.RealCount).ToArray();

    /// <summary>True when <paramref name="word"/> is in the vocabulary (as a predictable word: not &lt;s&gt;, and &lt;unk&gt; counts only when the file listed it).</summary>
    public bool Contains(string word) =>
        _ids.TryGetValue(word, out int id) && id != _start && !(id == _unknown && UnknownWasAdded);

    /// <summary>Reads an ARPA file; a name ending in <c>.gz</c> is gunzipped.</summary>
    /// <exception cref="LanguageModelFormatException">The file is not valid ARPA (the message names the line and the problem).</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static ArpaLanguageModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"ARPA language model not found: {path}", path);
        }

        using Stream file = File.OpenRead(path);
        Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream, new UTF8Encoding(false, true));
        try
        {
            return ArpaReader.Read(reader, path, Path.GetFileName(path));
        }
        catch (InvalidDataException e)
        {
            throw new LanguageModelFormatException(path, 0, "the gzip stream is corrupt: " + e.Message, e);
        }
        catch (DecoderFallbackException e)
        {
            throw new LanguageModelFormatException(path, 0, "the file is not UTF-8 text: " + e.Message, e);
        }
    }

    /// <summary>Reads ARPA text; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="LanguageModelFormatException">The text is not valid ARPA.</exception>
    public static ArpaLanguageModel Parse(TextReader reader, string source = "<arpa>")
    {
        ArgumentNullException.ThrowIfNull(reader);
        return ArpaReader.Read(reader, source, source);
    }

    /// <summary>Writes the model as ARPA text (log10 with 9 significant digits, so reading it back gives the same scores); <c>.gz</c> paths are gzipped.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using Stream file = File.Create(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.SmallestSize) : file;
        using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n" };
        Write(writer);
    }

    /// <summary>Writes the model as ARPA text.</summary>
    public void Write(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArpaWriter.Write(this, writer);
    }

    /// <inheritdoc/>
    public double ScoreSentence(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        Span<double> scores = words.Count < 256 ? stackalloc double[words.Count + 1] : new double[words.Count + 1];
        ScoreWords(words, scores);
        double sum = 0;
        foreach (double s in scores)
        {
            sum += s;
        }

        return sum;
    }

    /// <inheritdoc/>
    public void ScoreWords(IReadOnlyList<string> words, Span<double> logProbabilities)
    {
        ArgumentNullException.ThrowIfNull(words);
        if (logProbabilities.Length < words.Count + 1)
        {
            throw new ArgumentException($"Need {words.Count + 1} scores (words + end of sentence), got room for {logProbabilities.Length}.", nameof(logProbabilities));
        }

        int n = words.Count;
        Span<int> ids = n + 1 < 256 ? stackalloc int[n + 2] : new int[n + 2];
        ids[0] = _start;
        for (int i = 0; i < n; i++)
        {
            ids[i + 1] = WordId(words[i]);
        }

        ids[n + 1] = _end;
        for (int i = 1; i <= n + 1; i++)
        {
            int historyLength = Math.Min(i, Order - 1);
            logProbabilities[i - 1] = Log10Prob(ids.Slice(i - historyLength, historyLength), ids[i]) * Ln10;
        }
    }

    /// <summary>Natural-log P(<paramref name="word"/> | <paramref name="history"/>), the history's words oldest first (only the last Order − 1 matter; start a sentence's history with &lt;s&gt;).</summary>
    public double LogProbability(IReadOnlyList<string> history, string word)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(word);
        int h = Math.Min(history.Count, Order - 1);
        Span<int> ids = stackalloc int[h];
        for (int i = 0; i < h; i++)
        {
            string w = history[history.Count - h + i];
            ids[i] = w == SentenceStart ? _start : WordId(w);
        }

        return Log10Prob(ids, WordId(word)) * Ln10;
    }

    /// <summary>
    /// Perplexity over <paramref name="sentences"/> the way SRILM's <c>ngram -ppl</c> reports it: words not in the
    /// vocabulary are counted as OOVs and left out (with the words after them still scored with the OOV in their history
    /// as &lt;unk&gt;); the end of each sentence counts as a word. <see cref="PerplexityResult.PerplexityWithOovs"/>
    /// also includes the OOVs scored as &lt;unk&gt;.
    /// </summary>
    public PerplexityResult Perplexity(IEnumerable<IReadOnlyList<string>> sentences)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        int sentenceCount = 0, wordCount = 0, oovs = 0;
        double logProb = 0, oovLogProb = 0;
        var scores = new double[64];
        foreach (IReadOnlyList<string> s in sentences)
        {
            if (scores.Length < s.Count + 1)
            {
                scores = new double[2 * (s.Count + 1)];
            }

            ScoreWords(s, scores);
            sentenceCount++;
            for (int i = 0; i < s.Count; i++)
            {
                if (Contains(s[i]))
                {
                    wordCount++;
                    logProb += scores[i];
                }
                else
                {
                    oovs++;
                    oovLogProb += scores[i];
                }
            }

            logProb += scores[s.Count];
        }

        return new PerplexityResult(sentenceCount, wordCount, oovs, logProb, oovLogProb);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"ArpaLanguageModel {Name}: order {Order}, {VocabularySize} words, n-grams {string.Join('/', NgramCounts)}");

    internal NgramTable Table(int order) => _tables[order - 1];

    internal string WordText(int id) => _words[id];

    internal int WordId(string word) => _ids.TryGetValue(word, out int id) && id != _start ? id : _unknown;

    /// <summary>log10 P(word | history) with back-off; history holds at most Order − 1 ids, oldest first.</summary>
    internal double Log10Prob(ReadOnlySpan<int> history, int word)
    {
        double backoff = 0;
        for (int start = 0; start <= history.Length; start++)
        {
            // Context = history[start..]; find its entry by walking the trie from its first word.
            ReadOnlySpan<int> context = history[start..];
            int entry = 0;
            bool found = true;
            for (int k = 0; k < context.Length; k++)
            {
                if (!_tables[k].TryFind(entry, context[k], out entry))
                {
                    found = false;
                    break;
                }
            }

            if (!found)
            {
                continue;
            }

            NgramTable table = _tables[context.Length];
            if (table.TryFind(entry, word, out int e) && table.HasProb(e))
            {
                return backoff + table.LogProb(e);
            }

            if (context.Length > 0)
            {
                backoff += _tables[context.Length - 1].Backoff(entry);
            }
        }

        // Unreachable for a valid model: every word id has a unigram (unknown words map to <unk>).
        throw new InvalidOperationException($"The word '{_words[word]}' has no unigram.");
    }
}
