namespace EdgeVoice.Nn;

/// <summary>
/// A bump allocator of float scratch for one stream: <see cref="Rent"/> hands out 64-byte aligned slices of
/// one pinned block, <see cref="Reset"/> takes them all back. Streaming code resets the arena once per
/// chunk, so after the first chunks (warm-up) nothing is allocated.
/// </summary>
/// <remarks>
/// When a chunk needs more than the block holds, a larger block is allocated (twice the size, or more) and
/// used from then on; slices rented earlier stay valid because they keep the old block alive. Not thread-safe:
/// one arena per stream. Rented memory is not cleared.
/// </remarks>
public sealed class FloatArena
{
    private const int AlignFloats = 16;

    private float[] _block;
    private int _start;
    private int _used;

    /// <summary>Creates an arena with room for <paramref name="capacity"/> floats (it grows if needed).</summary>
    public FloatArena(int capacity = 64 * 1024)
    {
        Guard.NotNegative(capacity, nameof(capacity));
        (_block, _start) = Allocate(capacity);
    }

    /// <summary>Floats the current block holds.</summary>
    public int Capacity => _block.Length - _start;

    /// <summary>Floats rented since the last <see cref="Reset"/> (including alignment padding).</summary>
    public int Used => _used;

    /// <summary>How many times the arena had to allocate a larger block; constant in steady state.</summary>
    public int Growths { get; private set; }

    /// <summary>Returns <paramref name="length"/> floats of uninitialised scratch, 64-byte aligned.</summary>
    public Span<float> Rent(int length)
    {
        Guard.NotNegative(length, nameof(length));
        int rounded = (length + AlignFloats - 1) & ~(AlignFloats - 1);
        if (rounded > Capacity - _used)
        {
            Grow(_used + rounded);
        }

        var slice = new Span<float>(_block, _start + _used, length);
        _used += rounded;
        return slice;
    }

    /// <summary>Takes back everything rented; earlier slices must no longer be used.</summary>
    public void Reset() => _used = 0;

    private void Grow(int needed)
    {
        int capacity = Math.Max(needed, 2 * Capacity);
        (_block, _start) = Allocate(capacity);
        _used = 0;
        Growths++;
    }

    private static unsafe (float[] Block, int Start) Allocate(int capacity)
    {
        var block = GC.AllocateUninitializedArray<float>(capacity + AlignFloats, pinned: true);
        fixed (float* p = block)
        {
            int misalignment = (int)((nuint)p % (AlignFloats * sizeof(float)));
            int start = misalignment == 0 ? 0 : ((AlignFloats * sizeof(float)) - misalignment) / sizeof(float);
            return (block, start);
        }
    }
}
