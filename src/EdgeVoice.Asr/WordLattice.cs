using System.Globalization;
using System.Text;

namespace EdgeVoice.Asr;

/// <summary>
/// A word lattice of an utterance: an acyclic graph whose arcs are words with times, acoustic scores and a slot
/// for a language-model score. Built from a search's n-best hypotheses by merging shared prefixes (a trie from
/// the start) and shared suffixes (minimisation from the end, after pushing scores toward the start so that
/// equal futures compare equal). Node 0 is the start; nodes are numbered in topological order; a node is final
/// when <see cref="FinalWeights"/> holds a number for it (NaN otherwise). Immutable.
/// Serialised as compact binary (<see cref="ToBinary"/>), JSON (<see cref="ToJson"/>) and HTK SLF (<see cref="ToSlf"/>);
/// docs/lattice-format.md describes each.
/// </summary>
public sealed class WordLattice
{
    private readonly LatticeArc[] _arcs;
    private readonly float[] _final;

    /// <summary>Creates a lattice from its parts and validates it.</summary>
    /// <exception cref="LatticeFormatException">Node ids out of range, arcs not from a lower to a higher node, bad times, no final node.</exception>
    public WordLattice(int nodeCount, IEnumerable<LatticeArc> arcs, IReadOnlyList<float> finalWeights, double frameDuration, string utterance = "")
    {
        ArgumentNullException.ThrowIfNull(arcs);
        ArgumentNullException.ThrowIfNull(finalWeights);
        _arcs = arcs.OrderBy(a => a.From).ThenBy(a => a.To).ToArray();
        _final = finalWeights.ToArray();
        NodeCount = nodeCount;
        FrameDuration = frameDuration;
        Utterance = utterance ?? "";
        Validate();
    }

    /// <summary>Number of nodes.</summary>
    public int NodeCount { get; }

    /// <summary>Arcs, sorted by source node.</summary>
    public IReadOnlyList<LatticeArc> Arcs => _arcs;

    /// <summary>Per node: the weight added when a path ends there, or NaN when the node is not final.</summary>
    public IReadOnlyList<float> FinalWeights => _final;

    /// <summary>Seconds per frame of the arcs' times (0.04).</summary>
    public double FrameDuration { get; }

    /// <summary>Utterance id (may be empty).</summary>
    public string Utterance { get; }

    /// <summary>
    /// Builds the lattice of <paramref name="hypotheses"/> (best first; e.g. <see cref="RecognitionResult.NBest"/>).
    /// Every hypothesis is a path whose acoustic scores sum to its <see cref="RecognitionHypothesis.Score"/>
    /// (hypotheses with the same words at the same times keep the best score).
    /// </summary>
    public static WordLattice FromHypotheses(IReadOnlyList<RecognitionHypothesis> hypotheses, double frameDuration, string utterance = "")
    {
        ArgumentNullException.ThrowIfNull(hypotheses);
        if (hypotheses.Count == 0)
        {
            throw new ArgumentException("A lattice needs at least one hypothesis.", nameof(hypotheses));
        }

        // 1. Trie of (word, start, end) keys; a node's id is greater than its parent's.
        var children = new List<Dictionary<(string, int, int), int>> { new() };
        var parentArc = new List<(int Parent, string Word, int Start, int End)> { (-1, "", 0, 0) };
        var final = new List<double> { double.NaN };
        foreach (RecognitionHypothesis h in hypotheses)
        {
            int node = 0;
            foreach (RecognizedWord w in h.Words)
            {
                var wordKey = (w.Text, w.StartFrame, w.EndFrame);
                if (!children[node].TryGetValue(wordKey, out int child))
                {
                    child = children.Count;
                    children[node][wordKey] = child;
                    children.Add(new());
                    parentArc.Add((node, w.Text, w.StartFrame, w.EndFrame));
                    final.Add(double.NaN);
                }

                node = child;
            }

            final[node] = double.IsNaN(final[node]) ? h.Score : Math.Max(final[node], h.Score);
        }

        // 2. Push: potential V(n) = best total of any hypothesis through n; arc p→c weighs V(c) − V(p)
        //    (arcs from the start weigh V(c)); a final node keeps final − V(n) (the start keeps its final).
        int n = children.Count;
        var potential = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double best = final[i];
            foreach (int c in children[i].Values)
            {
                best = double.IsNaN(best) ? potential[c] : Math.Max(best, potential[c]);
            }

            potential[i] = best;
        }

        var residual = new float[n];
        for (int i = 0; i < n; i++)
        {
            residual[i] = double.IsNaN(final[i]) ? float.NaN : (float)(i == 0 ? final[i] : final[i] - potential[i]);
        }

        // 3. Minimise from the end: nodes with equal finality and equal outgoing arcs (word, times, weight,
        //    representative of the target) merge. Children are visited before parents (descending ids), and
        //    the representative is the highest id of its class, so ids stay topologically ordered.
        var representative = new int[n];
        var classes = new Dictionary<string, int>(StringComparer.Ordinal);
        var key = new StringBuilder();
        for (int i = n - 1; i >= 0; i--)
        {
            key.Clear();
            key.Append(i == 0 ? "S|" : "|").Append(BitConverter.SingleToInt32Bits(residual[i])).Append('|');
            foreach (var ((word, start, end), c) in children[i].OrderBy(kv => kv.Key))
            {
                float weight = ArcWeight(i, c);
                key.Append(word).Append('\u0001').Append(start).Append(',').Append(end).Append(',')
                   .Append(BitConverter.SingleToInt32Bits(weight)).Append(',').Append(representative[c]).Append('\u0002');
            }

            string signature = key.ToString();
            if (!classes.TryGetValue(signature, out int rep))
            {
                rep = i;
                classes[signature] = i;
            }

            representative[i] = rep;
        }

        // 4. Renumber the representatives reachable from the start, in ascending (topological) order.
        var kept = Enumerable.Range(0, n).Where(i => representative[i] == i).ToArray();
        var index = new Dictionary<int, int>();
        foreach (int k in kept)
        {
            index[k] = index.Count;
        }

        var arcs = new List<LatticeArc>();
        var finalWeights = new float[kept.Length];
        foreach (int k in kept)
        {
            finalWeights[index[k]] = residual[k];
            foreach (var ((word, start, end), c) in children[k])
            {
                arcs.Add(new LatticeArc(index[k], index[representative[c]], word, start, end, ArcWeight(k, c), float.NaN));
            }
        }

        return new WordLattice(kept.Length, arcs, finalWeights, frameDuration, utterance);

        float ArcWeight(int p, int c) => (float)(p == 0 ? potential[c] : potential[c] - potential[p]);
    }

    /// <summary>
    /// The <paramref name="count"/> best complete paths by <c>acoustic + lmWeight · lm</c>, best first (exact:
    /// k-best dynamic programming over the acyclic graph).
    /// </summary>
    public IReadOnlyList<LatticePath> BestPaths(int count, double lmWeight = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        // Per node, the best partial paths reaching it: (score, arc into the node, rank at the arc's source).
        var best = new List<(double Score, int Arc, int Rank)>[NodeCount];
        for (int i = 0; i < NodeCount; i++)
        {
            best[i] = [];
        }

        best[0].Add((0.0, -1, -1));
        for (int a = 0; a < _arcs.Length; a++)
        {
            LatticeArc arc = _arcs[a];
            List<(double Score, int Arc, int Rank)> source = best[arc.From];
            for (int r = 0; r < source.Count; r++)
            {
                Insert(best[arc.To], (source[r].Score + arc.Score(lmWeight), a, r), count);
            }
        }

        var ends = new List<(double Score, int Node, int Rank)>();
        for (int node = 0; node < NodeCount; node++)
        {
            if (!float.IsNaN(_final[node]))
            {
                for (int r = 0; r < best[node].Count; r++)
                {
                    ends.Add((best[node][r].Score + _final[node], node, r));
                }
            }
        }

        var result = new List<LatticePath>();
        foreach (var (score, endNode, endRank) in ends.OrderByDescending(e => e.Score).Take(count))
        {
            var arcs = new List<int>();
            int node = endNode, rank = endRank;
            while (best[node][rank].Arc >= 0)
            {
                var step = best[node][rank];
                arcs.Add(step.Arc);
                node = _arcs[step.Arc].From;
                rank = step.Rank;
            }

            arcs.Reverse();
            double acoustic = _final[endNode], lm = 0;
            foreach (int a in arcs)
            {
                acoustic += _arcs[a].AcousticScore;
                lm += _arcs[a].HasLmScore ? _arcs[a].LmScore : 0;
            }

            result.Add(new LatticePath(arcs.Select(a => _arcs[a].Word).Where(w => w != LatticeSlfWriter.NullWord).ToArray(), arcs, acoustic, lm, score));
        }

        return result;
    }

    /// <summary>A copy with language-model scores set by <paramref name="lmScore"/> (called once per arc).</summary>
    public WordLattice WithLmScores(Func<LatticeArc, float> lmScore)
    {
        ArgumentNullException.ThrowIfNull(lmScore);
        return new WordLattice(NodeCount, _arcs.Select(a => a with { LmScore = lmScore(a) }), _final, FrameDuration, Utterance);
    }

    /// <summary>The compact binary encoding (docs/lattice-format.md).</summary>
    public byte[] ToBinary(LatticeScoreEncoding encoding = LatticeScoreEncoding.ScaledInt16) => LatticeBinaryCodec.Write(this, encoding);

    /// <summary>Reads and validates the binary encoding.</summary>
    /// <exception cref="LatticeFormatException">The bytes are not a valid lattice.</exception>
    public static WordLattice FromBinary(ReadOnlySpan<byte> bytes) => LatticeBinaryCodec.Read(bytes);

    /// <summary>The JSON form (docs/lattice-format.md).</summary>
    public string ToJson() => LatticeJsonCodec.Write(this);

    /// <summary>Reads and validates the JSON form.</summary>
    /// <exception cref="LatticeFormatException">The text is not a valid lattice.</exception>
    public static WordLattice FromJson(string json) => LatticeJsonCodec.Read(json);

    /// <summary>HTK Standard Lattice Format, version 1.1 (words on links).</summary>
    public string ToSlf() => LatticeSlfWriter.Write(this);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"WordLattice {Utterance}: {NodeCount} nodes, {_arcs.Length} arcs");

    private static void Insert(List<(double Score, int Arc, int Rank)> list, (double Score, int Arc, int Rank) item, int count)
    {
        if (list.Count == count && item.Score <= list[^1].Score)
        {
            return;
        }

        int pos = list.Count;
        while (pos > 0 && list[pos - 1].Score < item.Score)
        {
            pos--;
        }

        list.Insert(pos, item);
        if (list.Count > count)
        {
            list.RemoveAt(list.Count - 1);
        }
    }

    private void Validate()
    {
        var problems = new List<string>();
        if (NodeCount < 1)
        {
            problems.Add($"it has {NodeCount} nodes; a lattice has at least the start node");
        }

        if (_final.Length != NodeCount)
        {
            problems.Add($"it has {_final.Length} final weights for {NodeCount} nodes");
        }
        else if (_final.All(float.IsNaN))
        {
            problems.Add("no node is final");
        }

        if (!(FrameDuration > 0) || !double.IsFinite(FrameDuration))
        {
            problems.Add($"the frame duration {FrameDuration} is not a positive number");
        }

        foreach (LatticeArc a in _arcs)
        {
            if (a.From < 0 || a.To >= NodeCount || a.From >= a.To)
            {
                problems.Add($"arc {a.From}→{a.To} does not go from a lower to a higher node in [0, {NodeCount})");
            }

            if (a.StartFrame < 0 || a.EndFrame < a.StartFrame)
            {
                problems.Add($"arc {a.From}→{a.To} '{a.Word}' has frames {a.StartFrame}..{a.EndFrame}");
            }

            if (!float.IsFinite(a.AcousticScore) || float.IsInfinity(a.LmScore))
            {
                problems.Add($"arc {a.From}→{a.To} '{a.Word}' has a non-finite score");
            }

            if (string.IsNullOrEmpty(a.Word))
            {
                problems.Add($"arc {a.From}→{a.To} has an empty word");
            }

            if (problems.Count > 10)
            {
                break;
            }
        }

        if (problems.Count > 0)
        {
            throw new LatticeFormatException("Invalid lattice: " + string.Join("; ", problems) + ".");
        }
    }
}
