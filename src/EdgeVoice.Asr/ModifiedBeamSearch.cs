using EdgeVoice.Asr.Biasing;
using EdgeVoice.Nn;
using System.Runtime.CompilerServices;

namespace EdgeVoice.Asr;

/// <summary>
/// Modified beam search (training/search.py:modified_beam_search): per frame each hypothesis is extended by
/// blank or by one token, the best <c>beam</c> of all extensions survive, and extensions spelling the same
/// token sequence merge by log-add of their scores. Candidate scores are float32 sums as in PyTorch.
/// With a <see cref="ContextGraph"/>, each hypothesis carries its <see cref="ContextState"/> and every candidate's
/// score includes the biasing bonus of its token before the best are chosen; results subtract the bonus of
/// unfinished partial matches. The best <c>beam</c> candidates by acoustic score alone are kept as well, and
/// <see cref="RecognizerOptions.BiasMaxAcousticLoss"/> can limit how much acoustic score the chosen result may give up.
/// </summary>
internal sealed class ModifiedBeamSearch : ITransducerSearch
{
    private readonly TransducerModel _model;
    private readonly int _beam;
    private readonly DecoderProjectionCache _cache;
    private readonly float[] _hidden;
    private readonly float[] _logProbs;
    private readonly int[] _context;
    private readonly float[] _topScores;
    private readonly int[] _topHyp;
    private readonly int[] _topToken;
    private readonly ContextGraph? _bias;
    private readonly float _blankPenalty;
    private readonly float _maxAcousticLoss;
    private readonly float[] _acousticScores;
    private readonly int[] _acousticHyp;
    private readonly int[] _acousticToken;
    private readonly float[] _bonus;
    private readonly ContextState[] _biasNext;
    private readonly int[] _expandedNode;
    private readonly float[] _expandedBonus;
    private readonly int[] _expandedNext;
    private readonly float[] _expandedKept;
    private int _expandedVictim;
    private List<(TokenNode? Node, double Score, ContextState Bias)> _hyps;
    private List<(TokenNode? Node, double Score, ContextState Bias)> _next;

    public ModifiedBeamSearch(TransducerModel model, int beam, ContextGraph? bias, DecoderProjectionCache cache, float blankPenalty = 0f,
        float biasMaxAcousticLoss = float.PositiveInfinity)
    {
        _maxAcousticLoss = biasMaxAcousticLoss;
        _blankPenalty = blankPenalty;
        _bias = bias;
        // With a context the beam also keeps the best `beam` candidates by acoustic score alone (up to twice as many
        // hypotheses), so the unbiased search goes on beside the biased one: phrases cannot crowd out every reading
        // that does without them (docs/biasing.md).
        int capacity = bias is null ? beam : 2 * beam;
        _bonus = bias is null ? [] : new float[capacity * model.VocabSize];
        _biasNext = bias is null ? [] : new ContextState[capacity * model.VocabSize];
        int slots = bias is null ? 0 : 2 * beam; // trie nodes whose expansion is kept: states persist across blank frames
        _expandedNode = new int[slots];
        Array.Fill(_expandedNode, -1);
        _expandedBonus = new float[slots * model.VocabSize];
        _expandedNext = new int[slots * model.VocabSize];
        _expandedKept = new float[slots * model.VocabSize];
        _model = model;
        _beam = beam;
        _cache = cache;
        _hidden = new float[model.JoinerDim];
        _logProbs = new float[capacity * model.VocabSize];
        _context = new int[model.ContextSize];
        _topScores = new float[capacity];
        _topHyp = new int[capacity];
        _topToken = new int[capacity];
        _acousticScores = bias is null ? [] : new float[beam];
        _acousticHyp = bias is null ? [] : new int[beam];
        _acousticToken = bias is null ? [] : new int[beam];
        _hyps = new(capacity) { (null, 0.0, ContextState.Start) };
        _next = new(capacity);
    }

    public int FramesSearched { get; private set; }

    public int LastTokenFrame
    {
        get
        {
            int best = 0;
            for (int i = 1; i < _hyps.Count; i++)
            {
                best = _hyps[i].Score > _hyps[best].Score ? i : best;
            }

            return _hyps[best].Node?.Frame ?? -1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Process(ReadOnlySpan<float> encoderProjected, int frames)
    {
        int dim = _model.JoinerDim;
        int vocab = _model.VocabSize;
        for (int f = 0; f < frames; f++)
        {
            ReadOnlySpan<float> frame = encoderProjected.Slice(f * dim, dim);
            int count = _hyps.Count;
            for (int h = 0; h < count; h++)
            {
                TokenNode.FillContext(_hyps[h].Node, _model.BlankId, _context);
                Span<float> logp = _logProbs.AsSpan(h * vocab, vocab);
                _model.Join(frame, _cache.Get(_context), _hidden, logp);
                logp[_model.BlankId] -= _blankPenalty;
                Activations.LogSoftmax(logp, logp);
                if (_bias is not null)
                {
                    ScoreBias(h, vocab);
                }
            }

            int kept = SelectTop(count, vocab);
            _next.Clear();
            for (int c = 0; c < kept; c++)
            {
                (TokenNode? node, _, ContextState bias) = _hyps[_topHyp[c]];
                int token = _topToken[c];
                double score = _topScores[c];
                if (token != _model.BlankId)
                {
                    node = new TokenNode(node, token, FramesSearched, _logProbs[(_topHyp[c] * vocab) + token], score);
                    bias = _bias is null ? bias : _biasNext[(_topHyp[c] * vocab) + token];
                }

                int same = -1;
                for (int j = 0; j < _next.Count; j++)
                {
                    if (TokenNode.SameSequence(_next[j].Node, node))
                    {
                        same = j;
                        break;
                    }
                }

                if (same < 0)
                {
                    _next.Add((node, score, bias));
                }
                else
                {
                    double a = _next[same].Score;
                    _next[same] = (_next[same].Node, Math.Max(a, score) + Math.Log(1 + Math.Exp(-Math.Abs(a - score))), _next[same].Bias);
                }
            }

            (_hyps, _next) = (_next, _hyps);
            FramesSearched++;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IReadOnlyList<RecognitionHypothesis> Hypotheses(int count)
    {
        // With a limit on what biasing may cost, hypotheses whose acoustic score (score minus bonus) is too far below
        // the best acoustic score rank after all the others.
        double bestAcoustic = double.NegativeInfinity;
        bool limited = _bias is not null && float.IsFinite(_maxAcousticLoss);
        if (limited)
        {
            foreach ((_, double score, ContextState state) in _hyps)
            {
                bestAcoustic = Math.Max(bestAcoustic, score - _bias!.BonusIn(state));
            }
        }

        var ordered = _hyps.Select((h, i) => (h.Node, Score: h.Score + (_bias?.FinalAdjustment(h.Bias) ?? 0), i,
                Within: !limited || h.Score - _bias!.BonusIn(h.Bias) >= bestAcoustic - _maxAcousticLoss))
            .OrderByDescending(x => x.Within).ThenByDescending(x => x.Score).ThenBy(x => x.i).Take(count);
        var result = new List<RecognitionHypothesis>();
        foreach ((TokenNode? node, double score, _, _) in ordered)
        {
            TokenNode[] path = TokenNode.ToArray(node);
            result.Add(ResultBuilder.Build(
                _model,
                path.Select(n => n.Token).ToArray(),
                path.Select(n => n.Frame).ToArray(),
                path.Select(n => n.LogProb).ToArray(),
                path.Select(n => n.ScoreAfter).ToArray(),
                score));
        }

        return result;
    }

    /// <summary>Each token's biasing bonus and next context state for hypothesis <paramref name="h"/> (blank: none, state kept).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScoreBias(int h, int vocab)
    {
        ContextState state = _hyps[h].Bias;
        int slot = Array.IndexOf(_expandedNode, state.Node);
        if (slot < 0)
        {
            slot = _expandedVictim;
            _expandedVictim = (_expandedVictim + 1) % _expandedNode.Length;
            _expandedNode[slot] = state.Node;
            _bias!.Expand(state.Node, _expandedBonus.AsSpan(slot * vocab, vocab), _expandedNext.AsSpan(slot * vocab, vocab), _expandedKept.AsSpan(slot * vocab, vocab));
        }

        int offset = h * vocab;
        _expandedBonus.AsSpan(slot * vocab, vocab).CopyTo(_bonus.AsSpan(offset, vocab));
        for (int k = 0; k < vocab; k++)
        {
            _biasNext[offset + k] = new ContextState(_expandedNext[(slot * vocab) + k], state.Kept + _expandedKept[(slot * vocab) + k]);
        }

        _bonus[offset + _model.BlankId] = 0f;
        _biasNext[offset + _model.BlankId] = state;
    }

    /// <summary>
    /// Makes sure the best candidate by its settled score (the score with every open partial match given back, as the
    /// final result will count it) survives the pruning: if it is not among the chosen, it takes the last place. Without
    /// this, half-matched context phrases can fill the whole beam, and when the speech does not go on to complete them
    /// no hypothesis is left that did not take the detour (results then end early or keep a wrong name fragment).
    /// Only with a beam of two or more: with one place this would never let a partial match in.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void KeepSettledBest(int count, int vocab)
    {
        float best = float.NegativeInfinity;
        int bestHyp = -1, bestToken = -1;
        float bestScore = 0f;
        for (int h = 0; h < count; h++)
        {
            float baseScore = (float)_hyps[h].Score;
            ReadOnlySpan<float> logp = _logProbs.AsSpan(h * vocab, vocab);
            ReadOnlySpan<float> bonus = _bonus.AsSpan(h * vocab, vocab);
            for (int k = 0; k < vocab; k++)
            {
                float s = baseScore + logp[k] + bonus[k];
                float settled = s + _bias!.FinalAdjustment(_biasNext[(h * vocab) + k]);
                if (settled > best)
                {
                    (best, bestHyp, bestToken, bestScore) = (settled, h, k, s);
                }
            }
        }

        for (int i = 0; i < _beam; i++)
        {
            if (_topHyp[i] == bestHyp && _topToken[i] == bestToken)
            {
                return;
            }
        }

        _topScores[_beam - 1] = bestScore;
        _topHyp[_beam - 1] = bestHyp;
        _topToken[_beam - 1] = bestToken;
    }

    /// <summary>
    /// With a context: adds to the <paramref name="kept"/> chosen candidates the best <c>beam</c> by
    /// acoustic score alone (score without any biasing bonus) that are not already among them; returns the new count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int AddAcousticBest(int count, int vocab, int kept)
    {
        int found = 0;
        for (int h = 0; h < count; h++)
        {
            float acousticBase = (float)_hyps[h].Score - _bias!.BonusIn(_hyps[h].Bias);
            ReadOnlySpan<float> logp = _logProbs.AsSpan(h * vocab, vocab);
            for (int k = 0; k < vocab; k++)
            {
                found = InsertTop(_acousticScores, _acousticHyp, _acousticToken, found, acousticBase + logp[k], h, k);
            }
        }

        int chosen = kept;
        for (int i = 0; i < found; i++)
        {
            int h = _acousticHyp[i], k = _acousticToken[i];
            bool already = false;
            for (int j = 0; j < chosen && !already; j++)
            {
                already = _topHyp[j] == h && _topToken[j] == k;
            }

            if (!already)
            {
                _topScores[kept] = (float)_hyps[h].Score + _logProbs[(h * vocab) + k] + _bonus[(h * vocab) + k];
                _topHyp[kept] = h;
                _topToken[kept] = k;
                kept++;
            }
        }

        return kept;
    }

    /// <summary>
    /// Puts (<paramref name="score"/>, <paramref name="hyp"/>, <paramref name="token"/>) into the first <paramref name="count"/>
    /// places of a best-first list of at most <paramref name="scores"/>.Length entries, if it belongs there (ties keep the
    /// earlier entry ahead); returns the new count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int InsertTop(Span<float> scores, int[] hyps, int[] tokens, int count, float score, int hyp, int token)
    {
        int capacity = scores.Length;
        if (count == capacity && !(score > scores[count - 1]))
        {
            return count;
        }

        int pos = count == capacity ? count - 1 : count++;
        while (pos > 0 && score > scores[pos - 1])
        {
            scores[pos] = scores[pos - 1];
            hyps[pos] = hyps[pos - 1];
            tokens[pos] = tokens[pos - 1];
            pos--;
        }

        scores[pos] = score;
        hyps[pos] = hyp;
        tokens[pos] = token;
        return count;
    }

    /// <summary>The best <c>beam</c> (hypothesis, token) pairs by float32 score, best first; returns how many.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int SelectTop(int count, int vocab)
    {
        int kept = 0;
        for (int h = 0; h < count; h++)
        {
            float baseScore = (float)_hyps[h].Score;
            ReadOnlySpan<float> logp = _logProbs.AsSpan(h * vocab, vocab);
            ReadOnlySpan<float> bonus = _bias is null ? default : _bonus.AsSpan(h * vocab, vocab);
            for (int k = 0; k < vocab; k++)
            {
                kept = InsertTop(_topScores.AsSpan(0, _beam), _topHyp, _topToken, kept, baseScore + logp[k] + (bonus.IsEmpty ? 0f : bonus[k]), h, k);
            }
        }

        if (_bias is not null && _beam >= 2 && kept == _beam)
        {
            KeepSettledBest(count, vocab);
        }

        if (_bias is not null)
        {
            kept = AddAcousticBest(count, vocab, kept);
        }

        return kept;
    }
}
