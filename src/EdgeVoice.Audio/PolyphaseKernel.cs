using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace EdgeVoice.Audio;

/// <summary>
/// Coefficients of a rational resampler from <c>inputRate</c> to <c>outputRate</c> = L/M × input rate
/// (L and M reduced by their gcd). Phase p (0 ≤ p &lt; L) holds the <see cref="Taps"/> weights that produce an
/// output sample lying p/L input samples after an input sample. Phases are computed on first use and then
/// shared, so odd rate pairs with a large L cost only the phases a clip actually visits.
/// </summary>
/// <remarks>
/// The prototype is h(t) = 2 fc · sinc(2 fc t) · I0(β √(1 − (t/K)²)) / I0(β), with t in input samples,
/// fc the cut-off in cycles per input sample (half way through the transition band) and K half the window
/// length. Each phase is scaled so that its weights sum to exactly one (unit gain at DC for every phase).
/// </remarks>
internal sealed class PolyphaseKernel
{
    /// <summary>Kernels with at most this many phases are cached process-wide; standard rate pairs need at most 640.</summary>
    private const int MaxCachedPhases = 1024;

    private const int MaxCachedKernels = 64;

    private static readonly ConcurrentDictionary<(int In, int Out, double Edge, double Db), PolyphaseKernel> Cache = new();

    private readonly float[]?[] _phases;
    private readonly double _cutoff;
    private readonly double _beta;
    private readonly double _besselOfBeta;

    private PolyphaseKernel(int inputRate, int outputRate, ResamplerOptions options)
    {
        int gcd = GreatestCommonDivisor(inputRate, outputRate);
        Up = outputRate / gcd;
        Down = inputRate / gcd;

        double lowerNyquist = Math.Min(inputRate, outputRate) / 2.0;
        double passEdge = options.PassbandEdge * lowerNyquist;
        double transitionWidth = (lowerNyquist - passEdge) / inputRate;
        _cutoff = (passEdge + lowerNyquist) / 2.0 / inputRate;

        double attenuation = options.StopbandAttenuationDb;
        _beta = KaiserBeta(attenuation);
        _besselOfBeta = BesselI0(_beta);

        // Kaiser's length estimate: N = (A - 7.95) / (2.285 · Δω) + 1, Δω the transition width in rad/sample.
        double length = ((attenuation - 7.95) / (2.285 * 2.0 * Math.PI * transitionWidth)) + 1.0;
        HalfTaps = Math.Max(1, (int)Math.Ceiling(length / 2.0));
        _phases = new float[Up][];
    }

    /// <summary>Interpolation factor L.</summary>
    public int Up { get; }

    /// <summary>Decimation factor M.</summary>
    public int Down { get; }

    /// <summary>K: the filter reaches K input samples to each side of an output sample.</summary>
    public int HalfTaps { get; }

    /// <summary>Weights per phase, 2K.</summary>
    public int Taps => 2 * HalfTaps;

    public static PolyphaseKernel Get(int inputRate, int outputRate, ResamplerOptions options)
    {
        var key = (inputRate, outputRate, options.PassbandEdge, options.StopbandAttenuationDb);
        if (Cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var kernel = new PolyphaseKernel(inputRate, outputRate, options);
        if (kernel.Up <= MaxCachedPhases && Cache.Count < MaxCachedKernels)
        {
            kernel = Cache.GetOrAdd(key, kernel);
        }

        return kernel;
    }

    /// <summary>
    /// Weights of phase <paramref name="phase"/>: weight i multiplies input sample n0 − K + 1 + i, where n0 is
    /// the input sample at or just before the output instant.
    /// </summary>
    public float[] Phase(int phase)
    {
        var weights = Volatile.Read(ref _phases[phase]);
        if (weights is null)
        {
            weights = ComputePhase(phase);
            Volatile.Write(ref _phases[phase], weights);
        }

        return weights;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private float[] ComputePhase(int phase)
    {
        int taps = Taps;
        var exact = new double[taps];
        double sum = 0;
        double fraction = (double)phase / Up;
        for (int i = 0; i < taps; i++)
        {
            double t = fraction + (HalfTaps - 1 - i);
            double x = 2.0 * _cutoff * t;
            double sinc = x == 0 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);
            double ratio = t / HalfTaps;
            double window = ratio * ratio >= 1.0 ? 0.0 : BesselI0(_beta * Math.Sqrt(1.0 - (ratio * ratio))) / _besselOfBeta;
            exact[i] = 2.0 * _cutoff * sinc * window;
            sum += exact[i];
        }

        var weights = new float[taps];
        for (int i = 0; i < taps; i++)
        {
            weights[i] = (float)(exact[i] / sum);
        }

        return weights;
    }

    private static double KaiserBeta(double attenuationDb) => attenuationDb switch
    {
        > 50 => 0.1102 * (attenuationDb - 8.7),
        >= 21 => (0.5842 * Math.Pow(attenuationDb - 21, 0.4)) + (0.07886 * (attenuationDb - 21)),
        _ => 0.0,
    };

    /// <summary>1/k² for the Bessel series, so its loop multiplies instead of dividing.</summary>
    private static readonly double[] InverseSquares = [.. Enumerable.Range(0, 64).Select(k => k == 0 ? 0.0 : 1.0 / ((double)k * k))];

    /// <summary>Modified Bessel function of the first kind, order zero, by its power series Σ ((x/2)^k / k!)².</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double BesselI0(double x)
    {
        double quarterXSquared = x * x / 4.0;
        double term = 1.0;
        double sum = 1.0;
        for (int k = 1; k < InverseSquares.Length; k++)
        {
            term *= quarterXSquared * InverseSquares[k];
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int GreatestCommonDivisor(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
