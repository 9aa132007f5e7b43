using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeVoice.Features;

/// <summary>
/// Forward FFT, in double precision, of a real signal whose length is a power of two (at least 4). The N real samples are
/// packed into an N/2-point complex signal, transformed with an iterative radix-2 decimation-in-time
/// FFT, and split back into the N/2 + 1 non-negative-frequency bins. Twiddles and the bit-reversal
/// table are built once per size and shared; <see cref="Forward"/> and <see cref="PowerSpectrum"/> never allocate.
/// </summary>
/// <remarks>
/// Double precision because float32 rounding perturbs every bin by about 1e-7 of the frame's strongest one,
/// which moves the log of a bin 60 dB weaker by 1e-3 (docs/features.md, "Why double precision").
/// An instance keeps scratch buffers, so it must not be used from two threads at once.
/// </remarks>
public sealed class RealFft
{
    private readonly int _half;
    private readonly int[] _bitReverse;
    private readonly double[] _twiddleRe;
    private readonly double[] _twiddleIm;
    private readonly double[] _splitRe;
    private readonly double[] _splitIm;
    private readonly double[] _re;
    private readonly double[] _im;
    private readonly bool _fuseStagePairs;

    /// <summary>Prepares an FFT of <paramref name="size"/> real samples.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is not a power of two of at least 4.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RealFft(int size)
        : this(size, fuseStagePairs: true)
    {
    }

    /// <summary>An FFT that runs each radix-2 stage as its own pass when <paramref name="fuseStagePairs"/> is false (for tests: the same bits either way).</summary>
    internal RealFft(int size, bool fuseStagePairs)
    {
        _fuseStagePairs = fuseStagePairs;
        if (size < 4 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The real FFT size must be a power of two of at least 4.");
        }

        Size = size;
        _half = size / 2;
        _re = new double[_half];
        _im = new double[_half];

        (_bitReverse, _twiddleRe, _twiddleIm, _splitRe, _splitIm) = SharedTables.GetOrAdd(size, BuildTables);
    }

    /// <summary>Read-only tables by size, shared by every instance: a stream's fbank then costs no trigonometry to set up.</summary>
    private static readonly ConcurrentDictionary<int, (int[], double[], double[], double[], double[])> SharedTables = new();

    private static (int[] BitReverse, double[] TwiddleRe, double[] TwiddleIm, double[] SplitRe, double[] SplitIm) BuildTables(int size)
    {
        int half = size / 2;
        int bits = BitOperations.Log2((uint)half);
        var bitReverse = new int[half];
        for (int k = 0; k < half; k++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++)
            {
                r |= ((k >> b) & 1) << (bits - 1 - b);
            }

            bitReverse[k] = r;
        }

        // Stage with half-length h uses exp(-i pi j / h), j = 0..h-1, stored from offset h - 1.
        var twiddleRe = new double[Math.Max(half - 1, 1)];
        var twiddleIm = new double[Math.Max(half - 1, 1)];
        for (int h = 1; h < half; h <<= 1)
        {
            for (int j = 0; j < h; j++)
            {
                double angle = -Math.PI * j / h;
                twiddleRe[h - 1 + j] = Math.Cos(angle);
                twiddleIm[h - 1 + j] = Math.Sin(angle);
            }
        }

        // exp(-2 pi i k / N) for the split of the packed transform, k = 0..N/2.
        var splitRe = new double[half + 1];
        var splitIm = new double[half + 1];
        for (int k = 0; k <= half; k++)
        {
            double angle = -2.0 * Math.PI * k / size;
            splitRe[k] = Math.Cos(angle);
            splitIm[k] = Math.Sin(angle);
        }

        return (bitReverse, twiddleRe, twiddleIm, splitRe, splitIm);
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(ReadOnlySpan<double> input, Span<double> real, Span<double> imag)
    {
        CheckInput(input);
        CheckOutput(real, nameof(real));
        CheckOutput(imag, nameof(imag));
        Transform(input);
        int half = _half;
        for (int k = 0; k <= half; k++)
        {
            Split(k, out double xr, out double xi);
            real[k] = xr;
            imag[k] = xi;
        }
    }

    /// <summary>Computes |X[k]|^2 for k = 0..Size/2.</summary>
    /// <param name="input">Exactly <see cref="Size"/> samples.</param>
    /// <param name="power">Receives the power spectrum; at least <see cref="NumBins"/> long.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PowerSpectrum(ReadOnlySpan<double> input, Span<double> power)
    {
        CheckInput(input);
        CheckOutput(power, nameof(power));
        Transform(input);
        int half = _half;
        ReadOnlySpan<double> re = _re, im = _im, wre = _splitRe, wim = _splitIm;
        power = power[..(half + 1)];

        // k = 0 and k = N/2 pair Z[0] with itself: X[0] = Re Z0 + Im Z0, X[N/2] = Re Z0 - Im Z0.
        double dc = re[0] + im[0], nyquist = re[0] - im[0];
        power[0] = dc * dc;
        power[half] = nyquist * nyquist;
        int k = 1;
        if (Vector256.IsHardwareAccelerated)
        {
            k = PowerSpectrumVector(power);
        }

        for (; k < half; k++)
        {
            int m = half - k;
            double ar = re[k], ai = im[k], br = re[m], bi = im[m];
            double er = 0.5 * (ar + br);
            double ei = 0.5 * (ai - bi);
            double or = 0.5 * (ai + bi);
            double oi = -0.5 * (ar - br);
            double wr = wre[k], wi = wim[k];
            double xr = er + ((wr * or) - (wi * oi));
            double xi = ei + ((wr * oi) + (wi * or));
            power[k] = (xr * xr) + (xi * xi);
        }
    }

    /// <summary>
    /// The loop of <see cref="PowerSpectrum"/> four bins at a time (bins k..k+3 pair with the mirrored bins
    /// M-k-3..M-k, loaded as one vector and reversed), with the same operations per bin in the same order, so the
    /// results are identical to the scalar loop's; returns the first bin left for it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int PowerSpectrumVector(Span<double> power)
    {
        int half = _half;
        ref double re = ref MemoryMarshal.GetArrayDataReference(_re);
        ref double im = ref MemoryMarshal.GetArrayDataReference(_im);
        ref double wre = ref MemoryMarshal.GetArrayDataReference(_splitRe);
        ref double wim = ref MemoryMarshal.GetArrayDataReference(_splitIm);
        ref double p = ref MemoryMarshal.GetReference(power);
        var reverse = Vector256.Create(3L, 2, 1, 0);
        var halfV = Vector256.Create(0.5);
        var minusHalf = Vector256.Create(-0.5);
        int k = 1;
        for (; k + 4 <= half; k += 4)
        {
            nuint at = (nuint)k, mirror = (nuint)(half - k - 3);
            var ar = Vector256.LoadUnsafe(ref re, at);
            var ai = Vector256.LoadUnsafe(ref im, at);
            var br = Vector256.Shuffle(Vector256.LoadUnsafe(ref re, mirror), reverse);
            var bi = Vector256.Shuffle(Vector256.LoadUnsafe(ref im, mirror), reverse);
            var er = halfV * (ar + br);
            var ei = halfV * (ai - bi);
            var or = halfV * (ai + bi);
            var oi = minusHalf * (ar - br);
            var wr = Vector256.LoadUnsafe(ref wre, at);
            var wi = Vector256.LoadUnsafe(ref wim, at);
            var xr = er + ((wr * or) - (wi * oi));
            var xi = ei + ((wr * oi) + (wi * or));
            ((xr * xr) + (xi * xi)).StoreUnsafe(ref p, at);
        }

        return k;
    }

    private void CheckInput(ReadOnlySpan<double> input)
    {
        if (input.Length != Size)
        {
            throw new ArgumentException($"The input must hold exactly {Size} samples (got {input.Length}).", nameof(input));
        }
    }

    private void CheckOutput(Span<double> output, string name)
    {
        if (output.Length < NumBins)
        {
            throw new ArgumentException($"The output must hold at least {NumBins} values (got {output.Length}).", name);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Split(int k, out double xr, out double xi)
    {
        // Z = FFT of z[n] = x[2n] + i x[2n+1]; X[k] = E[k] + W^k O[k], where
        // E[k] = (Z[k] + conj Z[M-k]) / 2 and O[k] = (Z[k] - conj Z[M-k]) / 2i, indices mod M.
        int half = _half;
        int a = k == half ? 0 : k;
        int b = k == 0 ? 0 : half - k;
        double ar = _re[a], ai = _im[a], br = _re[b], bi = _im[b];
        double er = 0.5 * (ar + br);
        double ei = 0.5 * (ai - bi);
        double or = 0.5 * (ai + bi);
        double oi = -0.5 * (ar - br);
        double wr = _splitRe[k], wi = _splitIm[k];
        xr = er + ((wr * or) - (wi * oi));
        xi = ei + ((wr * oi) + (wi * or));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Transform(ReadOnlySpan<double> input)
    {
        FirstRadix4Pass(input);
        int width = Vector<double>.Count;
        for (int h = 4; h < _half; h <<= 1)
        {
            if (Vector.IsHardwareAccelerated && h >= width && _fuseStagePairs && 4 * h <= _half)
            {
                VectorStagePair(h);
                h <<= 1;
            }
            else if (Vector.IsHardwareAccelerated && h >= width)
            {
                VectorStage(h);
            }
            else if (Vector128.IsHardwareAccelerated && h >= Vector128<double>.Count)
            {
                Vector128Stage(h);
            }
            else
            {
                ScalarStage(h);
            }
        }
    }

    /// <summary>
    /// Loads the packed complex signal in bit-reversed order and runs the first two radix-2 stages
    /// (twiddles 1 and -i) as one 4-point DFT per group. With only two points the group is a single butterfly.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FirstRadix4Pass(ReadOnlySpan<double> input)
    {
        int half = _half;
        Span<double> re = _re;
        Span<double> im = _im;
        ReadOnlySpan<int> rev = _bitReverse;
        if (half == 2)
        {
            double r0 = input[0], i0 = input[1], r1 = input[2], i1 = input[3];
            re[0] = r0 + r1;
            im[0] = i0 + i1;
            re[1] = r0 - r1;
            im[1] = i0 - i1;
            return;
        }

        for (int p = 0; p < half; p += 4)
        {
            int s0 = 2 * rev[p], s1 = 2 * rev[p + 1], s2 = 2 * rev[p + 2], s3 = 2 * rev[p + 3];
            double x0r = input[s0], x0i = input[s0 + 1];
            double x1r = input[s1], x1i = input[s1 + 1];
            double x2r = input[s2], x2i = input[s2 + 1];
            double x3r = input[s3], x3i = input[s3 + 1];

            // Stage h = 1.
            double a0r = x0r + x1r, a0i = x0i + x1i;
            double a1r = x0r - x1r, a1i = x0i - x1i;
            double a2r = x2r + x3r, a2i = x2i + x3i;
            double a3r = x2r - x3r, a3i = x2i - x3i;

            // Stage h = 2: a3 * (-i) = (a3i, -a3r).
            re[p] = a0r + a2r;
            im[p] = a0i + a2i;
            re[p + 2] = a0r - a2r;
            im[p + 2] = a0i - a2i;
            re[p + 1] = a1r + a3i;
            im[p + 1] = a1i - a3r;
            re[p + 3] = a1r - a3i;
            im[p + 3] = a1i + a3r;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Vector128Stage(int h)
    {
        int half = _half;
        int width = Vector128<double>.Count;
        ref double re = ref MemoryMarshal.GetArrayDataReference(_re);
        ref double im = ref MemoryMarshal.GetArrayDataReference(_im);
        ref double twr = ref MemoryMarshal.GetArrayDataReference(_twiddleRe);
        ref double twi = ref MemoryMarshal.GetArrayDataReference(_twiddleIm);
        nuint offset = (nuint)(h - 1);
        for (int s = 0; s < half; s += 2 * h)
        {
            for (int j = 0; j < h; j += width)
            {
                nuint a = (nuint)(s + j);
                nuint b = a + (nuint)h;
                var wr = Vector128.LoadUnsafe(ref twr, offset + (nuint)j);
                var wi = Vector128.LoadUnsafe(ref twi, offset + (nuint)j);
                var br = Vector128.LoadUnsafe(ref re, b);
                var bi = Vector128.LoadUnsafe(ref im, b);
                var ar = Vector128.LoadUnsafe(ref re, a);
                var ai = Vector128.LoadUnsafe(ref im, a);
                var tr = (br * wr) - (bi * wi);
                var ti = (br * wi) + (bi * wr);
                (ar - tr).StoreUnsafe(ref re, b);
                (ai - ti).StoreUnsafe(ref im, b);
                (ar + tr).StoreUnsafe(ref re, a);
                (ai + ti).StoreUnsafe(ref im, a);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScalarStage(int h)
    {
        int half = _half;
        double[] re = _re;
        double[] im = _im;
        int offset = h - 1;
        for (int s = 0; s < half; s += 2 * h)
        {
            for (int j = 0; j < h; j++)
            {
                double wr = _twiddleRe[offset + j], wi = _twiddleIm[offset + j];
                int a = s + j;
                int b = a + h;
                double tr = (re[b] * wr) - (im[b] * wi);
                double ti = (re[b] * wi) + (im[b] * wr);
                re[b] = re[a] - tr;
                im[b] = im[a] - ti;
                re[a] += tr;
                im[a] += ti;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void VectorStage(int h)
    {
        int half = _half;
        int width = Vector<double>.Count;
        ref double re = ref MemoryMarshal.GetArrayDataReference(_re);
        ref double im = ref MemoryMarshal.GetArrayDataReference(_im);
        ref double twr = ref MemoryMarshal.GetArrayDataReference(_twiddleRe);
        ref double twi = ref MemoryMarshal.GetArrayDataReference(_twiddleIm);
        nuint offset = (nuint)(h - 1);
        for (int s = 0; s < half; s += 2 * h)
        {
            for (int j = 0; j < h; j += width)
            {
                nuint a = (nuint)(s + j);
                nuint b = a + (nuint)h;
                var (ar, ai, br, bi) = Butterfly(
                    Vector.LoadUnsafe(ref re, a), Vector.LoadUnsafe(ref im, a), Vector.LoadUnsafe(ref re, b), Vector.LoadUnsafe(ref im, b),
                    Vector.LoadUnsafe(ref twr, offset + (nuint)j), Vector.LoadUnsafe(ref twi, offset + (nuint)j));
                ar.StoreUnsafe(ref re, a);
                ai.StoreUnsafe(ref im, a);
                br.StoreUnsafe(ref re, b);
                bi.StoreUnsafe(ref im, b);
            }
        }
    }

    /// <summary>
    /// Stages h and 2h in one pass over the data (radix-2², half the loads and stores of two passes): per group of
    /// four points a, b = a + h, c = a + 2h, d = a + 3h, stage h's butterflies (a, b) and (c, d) with twiddle j,
    /// then stage 2h's (a, c) with twiddle j and (b, d) with twiddle j + h. Every point goes through exactly the
    /// operations of the two separate stages, so the result is the same to the last bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void VectorStagePair(int h)
    {
        int half = _half;
        int width = Vector<double>.Count;
        ref double re = ref MemoryMarshal.GetArrayDataReference(_re);
        ref double im = ref MemoryMarshal.GetArrayDataReference(_im);
        ref double twr = ref MemoryMarshal.GetArrayDataReference(_twiddleRe);
        ref double twi = ref MemoryMarshal.GetArrayDataReference(_twiddleIm);
        nuint first = (nuint)(h - 1);
        nuint second = (nuint)((2 * h) - 1);
        for (int s = 0; s < half; s += 4 * h)
        {
            for (int j = 0; j < h; j += width)
            {
                nuint a = (nuint)(s + j);
                nuint b = a + (nuint)h;
                nuint c = b + (nuint)h;
                nuint d = c + (nuint)h;
                var ar = Vector.LoadUnsafe(ref re, a);
                var ai = Vector.LoadUnsafe(ref im, a);
                var br = Vector.LoadUnsafe(ref re, b);
                var bi = Vector.LoadUnsafe(ref im, b);
                var cr = Vector.LoadUnsafe(ref re, c);
                var ci = Vector.LoadUnsafe(ref im, c);
                var dr = Vector.LoadUnsafe(ref re, d);
                var di = Vector.LoadUnsafe(ref im, d);

                var w1r = Vector.LoadUnsafe(ref twr, first + (nuint)j);
                var w1i = Vector.LoadUnsafe(ref twi, first + (nuint)j);
                (ar, ai, br, bi) = Butterfly(ar, ai, br, bi, w1r, w1i);
                (cr, ci, dr, di) = Butterfly(cr, ci, dr, di, w1r, w1i);
                (ar, ai, cr, ci) = Butterfly(ar, ai, cr, ci, Vector.LoadUnsafe(ref twr, second + (nuint)j), Vector.LoadUnsafe(ref twi, second + (nuint)j));
                (br, bi, dr, di) = Butterfly(br, bi, dr, di, Vector.LoadUnsafe(ref twr, second + (nuint)(j + h)), Vector.LoadUnsafe(ref twi, second + (nuint)(j + h)));
                ar.StoreUnsafe(ref re, a);
                ai.StoreUnsafe(ref im, a);
                br.StoreUnsafe(ref re, b);
                bi.StoreUnsafe(ref im, b);
                cr.StoreUnsafe(ref re, c);
                ci.StoreUnsafe(ref im, c);
                dr.StoreUnsafe(ref re, d);
                di.StoreUnsafe(ref im, d);
            }
        }
    }

    /// <summary>One radix-2 butterfly: t = b·w; returns (a + t, a − t), each as real and imaginary parts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector<double> Ar, Vector<double> Ai, Vector<double> Br, Vector<double> Bi) Butterfly(
        Vector<double> ar, Vector<double> ai, Vector<double> br, Vector<double> bi, Vector<double> wr, Vector<double> wi)
    {
        var tr = (br * wr) - (bi * wi);
        var ti = (br * wi) + (bi * wr);
        return (ar + tr, ai + ti, ar - tr, ai - ti);
    }
}
