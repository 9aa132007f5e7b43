using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeVoice.Features;

/// <summary>
/// Forward FFT of a real signal whose length is a power of two (at least 4). The N real samples are
/// packed into an N/2-point complex signal, transformed with an iterative radix-2 decimation-in-time
/// FFT, and split back into the N/2 + 1 non-negative-frequency bins. Twiddles and the bit-reversal
/// table are built once; <see cref="Forward"/> and <see cref="PowerSpectrum"/> never allocate.
/// </summary>
/// <remarks>An instance keeps scratch buffers, so it must not be used from two threads at once.</remarks>
public sealed class RealFft
{
    private readonly int _half;
    private readonly int[] _bitReverse;
    private readonly float[] _twiddleRe;
    private readonly float[] _twiddleIm;
    private readonly float[] _splitRe;
    private readonly float[] _splitIm;
    private readonly float[] _re;
    private readonly float[] _im;

    /// <summary>Prepares an FFT of <paramref name="size"/> real samples.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is not a power of two of at least 4.</exception>
    public RealFft(int size)
    {
        if (size < 4 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The real FFT size must be a power of two of at least 4.");
        }

        Size = size;
        _half = size / 2;
        _re = new float[_half];
        _im = new float[_half];

        int bits = BitOperations.Log2((uint)_half);
        _bitReverse = new int[_half];
        for (int k = 0; k < _half; k++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++)
            {
                r |= ((k >> b) & 1) << (bits - 1 - b);
            }

            _bitReverse[k] = r;
        }

        // Stage with half-length h uses exp(-i pi j / h), j = 0..h-1, stored from offset h - 1.
        _twiddleRe = new float[Math.Max(_half - 1, 1)];
        _twiddleIm = new float[Math.Max(_half - 1, 1)];
        for (int h = 1; h < _half; h <<= 1)
        {
            for (int j = 0; j < h; j++)
            {
                double angle = -Math.PI * j / h;
                _twiddleRe[h - 1 + j] = (float)Math.Cos(angle);
                _twiddleIm[h - 1 + j] = (float)Math.Sin(angle);
            }
        }

        // exp(-2 pi i k / N) for the split of the packed transform, k = 0..N/2.
        _splitRe = new float[_half + 1];
        _splitIm = new float[_half + 1];
        for (int k = 0; k <= _half; k++)
        {
            double angle = -2.0 * Math.PI * k / size;
            _splitRe[k] = (float)Math.Cos(angle);
            _splitIm[k] = (float)Math.Sin(angle);
        }
    }

    /// <summary>Number of real input samples.</summary>
    public int Size { get; }

    /// <summary>Number of output bins, Size / 2 + 1 (DC to Nyquist inclusive).</summary>
    public int NumBins => _half + 1;

    /// <summary>
    /// Computes bins 0..Size/2 of the DFT X[k] = sum_n x[n] exp(-2 pi i k n / Size).
    /// </summary>
    /// <param name="input">Exactly <see cref="Size"/> samples.</param>
    /// <param name="real">Receives the real parts; at least <see cref="NumBins"/> long.</param>
    /// <param name="imag">Receives the imaginary parts; at least <see cref="NumBins"/> long.</param>
    public void Forward(ReadOnlySpan<float> input, Span<float> real, Span<float> imag)
    {
        CheckInput(input);
        CheckOutput(real, nameof(real));
        CheckOutput(imag, nameof(imag));
        Transform(input);
        int half = _half;
        for (int k = 0; k <= half; k++)
        {
            Split(k, out float xr, out float xi);
            real[k] = xr;
            imag[k] = xi;
        }
    }

    /// <summary>Computes |X[k]|^2 for k = 0..Size/2.</summary>
    /// <param name="input">Exactly <see cref="Size"/> samples.</param>
    /// <param name="power">Receives the power spectrum; at least <see cref="NumBins"/> long.</param>
    public void PowerSpectrum(ReadOnlySpan<float> input, Span<float> power)
    {
        CheckInput(input);
        CheckOutput(power, nameof(power));
        Transform(input);
        int half = _half;
        for (int k = 0; k <= half; k++)
        {
            Split(k, out float xr, out float xi);
            power[k] = (xr * xr) + (xi * xi);
        }
    }

    private void CheckInput(ReadOnlySpan<float> input)
    {
        if (input.Length != Size)
        {
            throw new ArgumentException($"The input must hold exactly {Size} samples (got {input.Length}).", nameof(input));
        }
    }

    private void CheckOutput(Span<float> output, string name)
    {
        if (output.Length < NumBins)
        {
            throw new ArgumentException($"The output must hold at least {NumBins} values (got {output.Length}).", name);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Split(int k, out float xr, out float xi)
    {
        // Z = FFT of z[n] = x[2n] + i x[2n+1]; X[k] = E[k] + W^k O[k], where
        // E[k] = (Z[k] + conj Z[M-k]) / 2 and O[k] = (Z[k] - conj Z[M-k]) / 2i, indices mod M.
        int half = _half;
        int a = k == half ? 0 : k;
        int b = k == 0 ? 0 : half - k;
        float ar = _re[a], ai = _im[a], br = _re[b], bi = _im[b];
        float er = 0.5f * (ar + br);
        float ei = 0.5f * (ai - bi);
        float or = 0.5f * (ai + bi);
        float oi = -0.5f * (ar - br);
        float wr = _splitRe[k], wi = _splitIm[k];
        xr = er + ((wr * or) - (wi * oi));
        xi = ei + ((wr * oi) + (wi * or));
    }

    private void Transform(ReadOnlySpan<float> input)
    {
        int half = _half;
        float[] re = _re;
        float[] im = _im;
        int[] rev = _bitReverse;
        for (int k = 0; k < half; k++)
        {
            int r = rev[k];
            re[r] = input[2 * k];
            im[r] = input[(2 * k) + 1];
        }

        // h = 1: twiddle 1.
        for (int a = 0; a < half; a += 2)
        {
            float tr = re[a + 1], ti = im[a + 1];
            re[a + 1] = re[a] - tr;
            im[a + 1] = im[a] - ti;
            re[a] += tr;
            im[a] += ti;
        }

        int width = Vector<float>.Count;
        for (int h = 2; h < half; h <<= 1)
        {
            if (h >= width)
            {
                VectorStage(h);
            }
            else
            {
                ScalarStage(h);
            }
        }
    }

    private void ScalarStage(int h)
    {
        int half = _half;
        float[] re = _re;
        float[] im = _im;
        int offset = h - 1;
        for (int s = 0; s < half; s += 2 * h)
        {
            for (int j = 0; j < h; j++)
            {
                float wr = _twiddleRe[offset + j], wi = _twiddleIm[offset + j];
                int a = s + j;
                int b = a + h;
                float tr = (re[b] * wr) - (im[b] * wi);
                float ti = (re[b] * wi) + (im[b] * wr);
                re[b] = re[a] - tr;
                im[b] = im[a] - ti;
                re[a] += tr;
                im[a] += ti;
            }
        }
    }

    private void VectorStage(int h)
    {
        int half = _half;
        int width = Vector<float>.Count;
        ref float re = ref MemoryMarshal.GetArrayDataReference(_re);
        ref float im = ref MemoryMarshal.GetArrayDataReference(_im);
        ref float twr = ref MemoryMarshal.GetArrayDataReference(_twiddleRe);
        ref float twi = ref MemoryMarshal.GetArrayDataReference(_twiddleIm);
        nuint offset = (nuint)(h - 1);
        for (int s = 0; s < half; s += 2 * h)
        {
            for (int j = 0; j < h; j += width)
            {
                nuint a = (nuint)(s + j);
                nuint b = a + (nuint)h;
                var wr = Vector.LoadUnsafe(ref twr, offset + (nuint)j);
                var wi = Vector.LoadUnsafe(ref twi, offset + (nuint)j);
                var br = Vector.LoadUnsafe(ref re, b);
                var bi = Vector.LoadUnsafe(ref im, b);
                var ar = Vector.LoadUnsafe(ref re, a);
                var ai = Vector.LoadUnsafe(ref im, a);
                var tr = (br * wr) - (bi * wi);
                var ti = (br * wi) + (bi * wr);
                (ar - tr).StoreUnsafe(ref re, b);
                (ai - ti).StoreUnsafe(ref im, b);
                (ar + tr).StoreUnsafe(ref re, a);
                (ai + ti).StoreUnsafe(ref im, a);
            }
        }
    }
}
