using EdgeVoice.Nn;
using System.Runtime.CompilerServices;

namespace EdgeVoice.Asr;

/// <summary>
/// Greedy transducer search (training/search.py:greedy_search, generalised to several symbols per frame): at
/// each step take the joiner's argmax; blank moves to the next frame, a token is appended and the predictor's
/// context advances. Every buffer is allocated up front (token arrays double when full), so frames cost no allocation.
/// </summary>
internal sealed class GreedySearch : ITransducerSearch
{
    private readonly TransducerModel _model;
    private readonly int _maxSymbols;
    private readonly float _blankPenalty;
    private readonly DecoderProjectionCache _cache;
    private readonly float[] _decoderProjected;
    private readonly float[] _hidden;
    private readonly float[] _logits;
    private readonly float[] _logProbs;
    private readonly int[] _context;
    private int[] _tokens = new int[1024];
    private int[] _frames = new int[1024];
    private float[] _tokenLogProbs = new float[1024];
    private double[] _scoreAfter = new double[1024];
    private int _count;
    private double _score;

    public GreedySearch(TransducerModel model, int maxSymbolsPerFrame, DecoderProjectionCache cache, float blankPenalty = 0f)
    {
        _model = model;
        _maxSymbols = maxSymbolsPerFrame;
        _blankPenalty = blankPenalty;
        _cache = cache;
        _decoderProjected = new float[model.JoinerDim];
        _hidden = new float[model.JoinerDim];
        _logits = new float[model.VocabSize];
        _logProbs = new float[model.VocabSize];
        _context = new int[model.ContextSize];
        Array.Fill(_context, model.BlankId);
        _cache.Get(_context).CopyTo(_decoderProjected);
    }

    public int FramesSearched { get; private set; }

    public int LastTokenFrame => _count == 0 ? -1 : _frames[_count - 1];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Process(ReadOnlySpan<float> encoderProjected, int frames)
    {
        int dim = _model.JoinerDim;
        int blank = _model.BlankId;
        for (int f = 0; f < frames; f++)
        {
            ReadOnlySpan<float> frame = encoderProjected.Slice(f * dim, dim);
            for (int s = 0; s < _maxSymbols; s++)
            {
                _model.Join(frame, _decoderProjected, _hidden, _logits);
                _logits[blank] -= _blankPenalty;
                int best = ArgMax.Find(_logits);
                Activations.LogSoftmax(_logits, _logProbs);
                _score += _logProbs[best];
                if (best == blank)
                {
                    break;
                }

                Append(best, FramesSearched, _logProbs[best]);
                _context.AsSpan(1).CopyTo(_context);
                _context[^1] = best;
                _cache.Get(_context).CopyTo(_decoderProjected);
            }

            FramesSearched++;
        }
    }

    public IReadOnlyList<RecognitionHypothesis> Hypotheses(int count) =>
    [
        ResultBuilder.Build(_model, _tokens[.._count], _frames[.._count], _tokenLogProbs[.._count], _scoreAfter[.._count], _score),
    ];

    private void Append(int token, int frame, float logProb)
    {
        if (_count == _tokens.Length)
        {
            Array.Resize(ref _tokens, 2 * _count);
            Array.Resize(ref _frames, 2 * _count);
            Array.Resize(ref _tokenLogProbs, 2 * _count);
            Array.Resize(ref _scoreAfter, 2 * _count);
        }

        _tokens[_count] = token;
        _frames[_count] = frame;
        _tokenLogProbs[_count] = logProb;
        _scoreAfter[_count] = _score;
        _count++;
    }
}
