using EdgeVoice.Nn;

namespace EdgeVoice.Asr;

/// <summary>
/// Modified beam search (training/search.py:modified_beam_search): per frame each hypothesis is extended by
/// blank or by one token, the best <c>beam</c> of all extensions survive, and extensions spelling the same
/// token sequence merge by log-add of their scores. Candidate scores are float32 sums as in PyTorch.
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
    private List<(TokenNode? Node, double Score)> _hyps;
    private List<(TokenNode? Node, double Score)> _next;

    public ModifiedBeamSearch(TransducerModel model, int beam)
    {
        _model = model;
        _beam = beam;
        _cache = new DecoderProjectionCache(model);
        _hidden = new float[model.JoinerDim];
        _logProbs = new float[beam * model.VocabSize];
        _context = new int[model.ContextSize];
        _topScores = new float[beam];
        _topHyp = new int[beam];
        _topToken = new int[beam];
        _hyps = new(beam) { (null, 0.0) };
        _next = new(beam);
    }

    public int FramesSearched { get; private set; }

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
                Activations.LogSoftmax(logp, logp);
            }

            int kept = SelectTop(count, vocab);
            _next.Clear();
            for (int c = 0; c < kept; c++)
            {
                (TokenNode? node, _) = _hyps[_topHyp[c]];
                int token = _topToken[c];
                double score = _topScores[c];
                if (token != _model.BlankId)
                {
                    node = new TokenNode(node, token, FramesSearched, _logProbs[(_topHyp[c] * vocab) + token], score);
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
                    _next.Add((node, score));
                }
                else
                {
                    double a = _next[same].Score;
                    _next[same] = (_next[same].Node, Math.Max(a, score) + Math.Log(1 + Math.Exp(-Math.Abs(a - score))));
                }
            }

            (_hyps, _next) = (_next, _hyps);
            FramesSearched++;
        }
    }

    public IReadOnlyList<RecognitionHypothesis> Hypotheses(int count)
    {
        var ordered = _hyps.Select((h, i) => (h, i)).OrderByDescending(x => x.h.Score).ThenBy(x => x.i).Take(count);
        var result = new List<RecognitionHypothesis>();
        foreach (((TokenNode? node, double score), _) in ordered)
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

    /// <summary>The best <c>beam</c> (hypothesis, token) pairs by float32 score, best first; returns how many.</summary>
    private int SelectTop(int count, int vocab)
    {
        int kept = 0;
        for (int h = 0; h < count; h++)
        {
            float baseScore = (float)_hyps[h].Score;
            ReadOnlySpan<float> logp = _logProbs.AsSpan(h * vocab, vocab);
            for (int k = 0; k < vocab; k++)
            {
                float s = baseScore + logp[k];
                if (kept == _beam && !(s > _topScores[kept - 1]))
                {
                    continue;
                }

                int pos = kept == _beam ? kept - 1 : kept++;
                while (pos > 0 && s > _topScores[pos - 1])
                {
                    _topScores[pos] = _topScores[pos - 1];
                    _topHyp[pos] = _topHyp[pos - 1];
                    _topToken[pos] = _topToken[pos - 1];
                    pos--;
                }

                _topScores[pos] = s;
                _topHyp[pos] = h;
                _topToken[pos] = k;
            }
        }

        return kept;
    }
}
