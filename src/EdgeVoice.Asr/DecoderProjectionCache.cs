using System.Runtime.CompilerServices;
namespace EdgeVoice.Asr;

/// <summary>
/// Per-stream cache of the predictor + decoder projection by context (the predictor is stateless, so a
/// context's projection never changes). Direct-mapped over a fixed number of slots allocated up front, so a
/// lookup never allocates; a miss recomputes the slot.
/// </summary>
internal sealed class DecoderProjectionCache
{
    private const int Slots = 512;

    private readonly TransducerModel _model;
    private readonly long[] _keys;
    private readonly float[] _values;
    private readonly float[] _scratch;
    private readonly int _dim;

    public DecoderProjectionCache(TransducerModel model)
    {
        _model = model;
        _dim = model.JoinerDim;
        if (Math.Pow(model.VocabSize, model.ContextSize) >= long.MaxValue / 2)
        {
            throw new NotSupportedException($"A context of {model.ContextSize} tokens over {model.VocabSize} ids does not fit the cache key.");
        }

        _keys = new long[Slots];
        Array.Fill(_keys, -1L);
        _values = new float[Slots * _dim];
        _scratch = new float[model.DecoderDim];
    }

    public int Misses { get; private set; }

    /// <summary>The projection of <paramref name="context"/>; valid until the next call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<float> Get(ReadOnlySpan<int> context)
    {
        long key = 0;
        foreach (int id in context)
        {
            key = (key * _model.VocabSize) + id;
        }

        int slot = (int)((ulong)(key * unchecked((long)0x9E3779B97F4A7C15)) >> 55) & (Slots - 1);
        Span<float> value = _values.AsSpan(slot * _dim, _dim);
        if (_keys[slot] != key)
        {
            _model.ProjectDecoder(context, value, _scratch);
            _keys[slot] = key;
            Misses++;
        }

        return value;
    }
}
