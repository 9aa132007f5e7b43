using EdgeVoice.Asr;

namespace EdgeVoice.Lm;

/// <summary>
/// Rescores a device's word lattice with a language model.
/// <list type="number">
/// <item>The <c>maxPaths</c> best paths by acoustic score alone are taken from the lattice (exact k-best,
/// <see cref="WordLattice.BestPaths"/> with LM weight 0; LM scores already on the arcs are ignored).</item>
/// <item>Paths with the same words (different times) collapse to the one with the best acoustic score.</item>
/// <item>Each word sequence is scored by the LM as a whole sentence (<see cref="ILanguageModel.ScoreSentences"/>,
/// which shares work between common prefixes where the model can).</item>
/// <item>Hypotheses are ranked by <see cref="RescoringWeights.Total"/>, best first (ties keep acoustic order).</item>
/// </list>
/// Immutable and thread-safe when the language model is.
/// </summary>
public sealed class LatticeRescorer
{
    /// <summary>The word <see cref="WordLattice"/>'s SLF writer uses on links that carry no word.</summary>
    public const string NullWord = "!NULL";

    private readonly ILanguageModel _lm;

    /// <summary>Creates a rescorer.</summary>
    /// <param name="lm">The language model.</param>
    /// <param name="weights">How acoustic and LM scores combine.</param>
    /// <param name="maxPaths">How many acoustic-best paths are rescored (≥ 1; 50 by default).</param>
    /// <exception cref="ArgumentException">Invalid weights or <paramref name="maxPaths"/> &lt; 1.</exception>
    public LatticeRescorer(ILanguageModel lm, RescoringWeights weights, int maxPaths = 50)
    {
        ArgumentNullException.ThrowIfNull(lm);
        ArgumentNullException.ThrowIfNull(weights);
        weights.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPaths, 1);
        _lm = lm;
        Weights = weights;
        MaxPaths = maxPaths;
    }

    /// <summary>The language model.</summary>
    public ILanguageModel LanguageModel => _lm;

    /// <summary>The combination weights.</summary>
    public RescoringWeights Weights { get; }

    /// <summary>How many acoustic-best paths are rescored.</summary>
    public int MaxPaths { get; }

    /// <summary>The <paramref name="nbest"/> best hypotheses after rescoring, best first (fewer when the lattice has fewer distinct word sequences).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nbest"/> &lt; 1.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public IReadOnlyList<RescoredHypothesis> Rescore(WordLattice lattice, int nbest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lattice);
        ArgumentOutOfRangeException.ThrowIfLessThan(nbest, 1);
        cancellationToken.ThrowIfCancellationRequested();
        List<LatticePath> paths = DistinctPaths(lattice);
        var sentences = new IReadOnlyList<string>[paths.Count];
        for (int i = 0; i < sentences.Length; i++)
        {
            sentences[i] = paths[i].Words;
        }

        IReadOnlyList<double> lmScores = _lm.ScoreSentences(sentences, cancellationToken);
        var ranked = new (RescoredHypothesis Hypothesis, int AcousticRank)[paths.Count];
        for (int i = 0; i < paths.Count; i++)
        {
            LatticePath p = paths[i];
            double total = Weights.Total(p.AcousticScore, lmScores[i], p.Words.Count);
            ranked[i] = (new RescoredHypothesis(p.Text, p.Words, p.AcousticScore, lmScores[i], total), i);
        }

        Array.Sort(ranked, static (a, b) =>
        {
            int c = b.Hypothesis.TotalScore.CompareTo(a.Hypothesis.TotalScore);
            return c != 0 ? c : a.AcousticRank.CompareTo(b.AcousticRank);
        });
        int count = Math.Min(nbest, ranked.Length);
        var result = new RescoredHypothesis[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = ranked[i].Hypothesis;
        }

        return result;
    }

    /// <summary>
    /// The lattice's <see cref="MaxPaths"/> acoustic-best paths as a prefix tree (paths share arcs only while they
    /// follow the same arcs of the input, and each path ends on an arc of its own), with
    /// <see cref="LatticeArc.LmScore"/> set on every arc. In a prefix tree every arc has exactly one word history,
    /// so the score is well defined: with an <see cref="IWordScoringLanguageModel"/> an arc carries
    /// ln P(word | &lt;s&gt; history), and the last arc of each path also carries ln P(&lt;/s&gt; | …); with another
    /// model the whole sentence score sits on the path's last arc and the other arcs carry 0. Either way, along
    /// every path the LM scores sum to <see cref="ILanguageModel.ScoreSentence"/>, the acoustic scores and final
    /// weights are the input's, and <see cref="WordLattice.BestPaths"/>(k, LmWeight) ranks as
    /// <see cref="Rescore"/> does without the word insertion bonus. An empty path gets a <see cref="NullWord"/> arc
    /// (frames 0..0, acoustic 0) to carry its end-of-sentence score.
    /// </summary>
    public WordLattice ExpandWithLmScores(WordLattice lattice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lattice);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<LatticePath> paths = lattice.BestPaths(MaxPaths, lmWeight: 0.0);
        var wordScorer = _lm as IWordScoringLanguageModel;
        var children = new List<Dictionary<(int Arc, bool Last), int>> { new() };
        var arcs = new List<LatticeArc>();
        var final = new List<float> { float.NaN };
        var wordScores = new double[16];
        foreach (LatticePath path in paths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = path.Words.Count;
            if (wordScores.Length < n + 1)
            {
                wordScores = new double[Math.Max(n + 1, 2 * wordScores.Length)];
            }

            if (wordScorer is not null)
            {
                wordScorer.ScoreWords(path.Words, wordScores.AsSpan(0, n + 1));
            }
            else
            {
                Array.Clear(wordScores, 0, n + 1);
                wordScores[n] = _lm.ScoreSentence(path.Words);
            }

            int node = 0, word = 0;
            if (path.Arcs.Count == 0)
            {
                int endNode = FindChild(node, -1, true);
                if (endNode < 0)
                {
                    endNode = AddChild(node, -1, true, new LatticeArc(0, 0, NullWord, 0, 0, 0f, (float)wordScores[0]));
                    final[endNode] = lattice.FinalWeights[0];
                }

                continue;
            }

            int endOfPathNode = -1;
            for (int i = 0; i < path.Arcs.Count; i++)
            {
                LatticeArc source = lattice.Arcs[path.Arcs[i]];
                bool last = i == path.Arcs.Count - 1;
                double lm = 0;
                if (source.Word != NullWord)
                {
                    lm = wordScores[word++];
                }

                if (last)
                {
                    lm += wordScores[n];
                    endOfPathNode = source.To;
                }

                int child = FindChild(node, path.Arcs[i], last);
                if (child < 0)
                {
                    child = AddChild(node, path.Arcs[i], last, source with { LmScore = (float)lm });
                }

                node = child;
            }

            final[node] = lattice.FinalWeights[endOfPathNode];
        }

        return new WordLattice(final.Count, arcs, final, lattice.FrameDuration, lattice.Utterance);

        int FindChild(int parent, int arc, bool last) => children[parent].TryGetValue((arc, last), out int c) ? c : -1;

        int AddChild(int parent, int arc, bool last, LatticeArc template)
        {
            int child = final.Count;
            children[parent][(arc, last)] = child;
            children.Add(new());
            final.Add(float.NaN);
            arcs.Add(template with { From = parent, To = child });
            return child;
        }
    }

    /// <summary>The acoustic-best paths, one per distinct word sequence (the first, i.e. best, of each).</summary>
    private List<LatticePath> DistinctPaths(WordLattice lattice)
    {
        IReadOnlyList<LatticePath> all = lattice.BestPaths(MaxPaths, lmWeight: 0.0);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var distinct = new List<LatticePath>(all.Count);
        foreach (LatticePath p in all)
        {
            if (seen.Add(string.Join('\u0001', p.Words)))
            {
                distinct.Add(p);
            }
        }

        return distinct;
    }
}
