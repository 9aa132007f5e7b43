using System.Runtime.CompilerServices;
namespace EdgeVoice.Vorbis;

/// <summary>
/// Inverse MDCT of size n (n/2 coefficients in, n samples out), unnormalised as in the Vorbis spec:
/// y[i] = sum over k of X[k] cos(2 pi / n (i + 1/2 + n/4)(k + 1/2)). Computed in O(n log n) as a DCT-IV of
/// length n/2, itself done with pre-twiddle, an n/4-point complex FFT and post-twiddle, followed by the
/// DCT-IV symmetries that unfold n/2 values into n.
/// </summary>
internal sealed class Imdct
{
    private readonly int _n;
    private readonly float[] _twiddleCos;
    private readonly float[] _twiddleSin;
    private readonly float[] _rootCos;
    private readonly float[] _rootSin;
    private readonly int[] _bitReverse;
    private readonly float[] _re;
    private readonly float[] _im;
    private readonly float[] _dct;

    /// <summary>Prepares tables for block size <paramref name="n"/> (a power of two, at least 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Imdct(int n)
    {
        if (n < 16 || (n & (n - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "The IMDCT size must be a power of two of at least 16.");
        }

        _n = n;
        int half = n / 2;
        int quarter = n / 4;
        _twiddleCos = new float[quarter];
        _twiddleSin = new float[quarter];
        for (int m = 0; m < quarter; m++)
        {
            double angle = Math.PI * (m + 0.125) / half;
            _twiddleCos[m] = (float)Math.Cos(angle);
            _twiddleSin[m] = (float)Math.Sin(angle);
        }

        _rootCos = new float[quarter / 2];
        _rootSin = new float[quarter / 2];
        for (int k = 0; k < quarter / 2; k++)
        {
            double angle = 2 * Math.PI * k / quarter;
            _rootCos[k] = (float)Math.Cos(angle);
            _rootSin[k] = (float)Math.Sin(angle);
        }

        int bits = VorbisMath.ILog(quarter - 1);
        _bitReverse = new int[quarter];
        for (int i = 0; i < quarter; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++)
            {
                r |= ((i >> b) & 1) << (bits - 1 - b);
            }

            _bitReverse[i] = r;
        }

        _re = new float[quarter];
        _im = new float[quarter];
        _dct = new float[half];
    }

    /// <summary>Transforms <paramref name="spectrum"/> (n/2 values) into <paramref name="output"/> (n values).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Inverse(ReadOnlySpan<float> spectrum, Span<float> output)
    {
        int half = _n / 2;
        int quarter = _n / 4;
        if (spectrum.Length < half || output.Length < _n)
        {
            throw new ArgumentException($"The IMDCT of size {_n} needs {half} inputs and {_n} outputs.");
        }

        // Pre-twiddle: z[m] = (X[2m] + i X[half-1-2m]) e^{-i pi (m + 1/8) / half}, stored bit-reversed.
        for (int m = 0; m < quarter; m++)
        {
            float a = spectrum[2 * m];
            float b = spectrum[half - 1 - 2 * m];
            float c = _twiddleCos[m];
            float s = _twiddleSin[m];
            int j = _bitReverse[m];
            _re[j] = a * c + b * s;
            _im[j] = b * c - a * s;
        }

        Fft();

        // Post-twiddle: S[q] = Z[q] e^{-i pi (q + 1/8) / half}; u[2q] = Re S, u[half-1-2q] = -Im S.
        for (int q = 0; q < quarter; q++)
        {
            float zr = _re[q];
            float zi = _im[q];
            float c = _twiddleCos[q];
            float s = _twiddleSin[q];
            _dct[2 * q] = zr * c + zi * s;
            _dct[half - 1 - 2 * q] = -(zi * c - zr * s);
        }

        // Unfold the DCT-IV (length half) into the n outputs of the IMDCT.
        int threeQuarter = 3 * quarter;
        for (int i = 0; i < quarter; i++)
        {
            output[i] = _dct[i + quarter];
        }

        for (int i = quarter; i < threeQuarter; i++)
        {
            output[i] = -_dct[threeQuarter - 1 - i];
        }

        for (int i = threeQuarter; i < _n; i++)
        {
            output[i] = -_dct[i - threeQuarter];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Fft()
    {
        int length = _re.Length;
        for (int size = 2; size <= length; size <<= 1)
        {
            int halfSize = size >> 1;
            int step = length / size;
            for (int start = 0; start < length; start += size)
            {
                for (int k = 0; k < halfSize; k++)
                {
                    float wr = _rootCos[k * step];
                    float wi = -_rootSin[k * step];
                    int top = start + k;
                    int bottom = top + halfSize;
                    float br = _re[bottom];
                    float bi = _im[bottom];
                    float tr = br * wr - bi * wi;
                    float ti = br * wi + bi * wr;
                    _re[bottom] = _re[top] - tr;
                    _im[bottom] = _im[top] - ti;
                    _re[top] += tr;
                    _im[top] += ti;
                }
            }
        }
    }
}
