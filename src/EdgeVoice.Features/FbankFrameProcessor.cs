using System.Collections.Concurrent;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;

namespace EdgeVoice.Features;

/// <summary>
/// Turns one window of samples into one feature vector, following the order of Kaldi's ProcessWindow and
/// torchaudio's _get_window: dither, DC removal, raw energy, pre-emphasis, taper, zero padding, FFT,
/// mel filters, log. All buffers are allocated up front; <see cref="Process"/> does not allocate.
/// </summary>
/// <remarks>
/// Everything after dithering runs in double precision on the float32 samples, as torchaudio does for a float64
/// waveform; only the result is rounded to float32. In float32, FFT rounding alone moves the log of weak mel bins
/// by more than 1e-3 (docs/features.md, "Why double precision").
/// </remarks>
internal sealed class FbankFrameProcessor
{
    // Kaldi floors log arguments at std::numeric_limits<float>::epsilon(); torchaudio uses torch.finfo(float).eps.
    private const double Epsilon = 1.1920928955078125e-07;

    private readonly FbankOptions _options;
    private readonly int _windowSize;
    // Windows and mel banks are read-only: one per set of options, shared by every stream (no set-up cost per stream).
    private static readonly ConcurrentDictionary<(FeatureWindowType Type, int Size, double Blackman), double[]> SharedWindows = new();
    private static readonly ConcurrentDictionary<(int Bins, int FftSize, double Rate, double Low, double High), MelFilterBank> SharedMelBanks = new();
    private readonly double[] _window;
    private readonly double[] _frame;
    private readonly float[] _dithered;
    private readonly double[] _spectrum;
    private readonly double[] _mel;
    private readonly RealFft _fft;
    private readonly MelFilterBank _melBank;
    private readonly DitherNoise? _dither;
    private readonly double _logEnergyFloor;

    public FbankFrameProcessor(FbankOptions options)
    {
        _options = options;
        _windowSize = options.WindowSize;
        int padded = options.PaddedWindowSize;
        _window = SharedWindows.GetOrAdd((options.WindowType, _windowSize, options.BlackmanCoeff), k => FeatureWindow.Create(k.Type, k.Size, k.Blackman));
        _frame = new double[padded];
        _dithered = options.Dither > 0.0 ? new float[_windowSize] : [];
        _fft = new RealFft(padded);
        _spectrum = new double[_fft.NumBins];
        _mel = new double[options.NumMelBins];
        _melBank = SharedMelBanks.GetOrAdd(
            (options.NumMelBins, padded, options.SampleFrequency, options.LowFreq, options.HighFreq),
            k => new MelFilterBank(k.Bins, k.FftSize, k.Rate, k.Low, k.High));
        _dither = options.Dither > 0.0 ? new DitherNoise(options.DitherSeed) : null;
        _logEnergyFloor = options.EnergyFloor > 0.0 ? Math.Log(options.EnergyFloor) : double.NegativeInfinity;
    }

    /// <summary>Computes the features of one window of <see cref="FbankOptions.WindowSize"/> samples.</summary>
    public void Process(ReadOnlySpan<float> window, Span<float> output)
    {
        var options = _options;
        if (_dither is not null)
        {
            window.CopyTo(_dithered);
            _dither.AddTo(_dithered, (float)options.Dither);
            window = _dithered;
        }

        Span<double> frame = _frame.AsSpan(0, _windowSize);
        Widen(window, frame);
        double mean = options.RemoveDcOffset ? TensorPrimitives.Sum<double>(frame) / _windowSize : 0.0;
        double logEnergy = 0.0;
        if (options.UseEnergy && options.RawEnergy)
        {
            logEnergy = LogEnergyAfterDcRemoval(frame, mean);
        }

        TaperFrame(frame, mean, options.PreemphasisCoefficient, _window, frame);

        if (options.UseEnergy && !options.RawEnergy)
        {
            logEnergy = LogEnergy(TensorPrimitives.SumOfSquares<double>(frame));
        }

        _fft.PowerSpectrum(_frame, _spectrum);
        if (!options.UsePower)
        {
            TensorPrimitives.Sqrt<double>(_spectrum, _spectrum);
        }

        _melBank.Apply(_spectrum, _mel);
        if (options.UseLogFbank)
        {
            TensorPrimitives.Max<double>(_mel, Epsilon, _mel);
            TensorPrimitives.Log<double>(_mel, _mel);
        }

        int melOffset = options.UseEnergy && !options.HtkCompat ? 1 : 0;
        TensorPrimitives.ConvertTruncating<double, float>(_mel, output.Slice(melOffset, options.NumMelBins));
        if (options.UseEnergy)
        {
            output[options.HtkCompat ? options.NumMelBins : 0] = (float)logEnergy;
        }
    }

    /// <summary>frame[i] = x[i] for the float32 window, converted to double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Widen(ReadOnlySpan<float> x, Span<double> frame)
    {
        int n = x.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            ref float xs = ref MemoryMarshal.GetReference(x);
            ref double fs = ref MemoryMarshal.GetReference(frame);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref xs, (nuint)i));
                lower.StoreUnsafe(ref fs, (nuint)i);
                upper.StoreUnsafe(ref fs, (nuint)(i + Vector256<double>.Count));
            }
        }

        for (; i < n; i++)
        {
            frame[i] = x[i];
        }
    }

    /// <summary>
    /// frame[i] = ((x[i] - mean) - c (x[i-1] - mean)) * w[i], with x[-1] = x[0] (Kaldi's pre-emphasis of the
    /// first sample), in double. One pass instead of separate DC, pre-emphasis and window passes; the arithmetic
    /// per sample is the same sequence of operations as the separate passes. <paramref name="frame"/> may be
    /// <paramref name="x"/> itself: the pass runs from the end, so x[i - 1] is read before it is overwritten.
    /// The padding beyond x.Length is not touched.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void TaperFrame(ReadOnlySpan<double> x, double mean, double c, ReadOnlySpan<double> w, Span<double> frame)
    {
        int n = x.Length;
        double first = x[0] - mean;
        int i = n - 1;
        if (Vector256.IsHardwareAccelerated && n - 1 >= Vector256<double>.Count)
        {
            int width = Vector256<double>.Count;
            ref double xs = ref MemoryMarshal.GetReference(x);
            ref double ws = ref MemoryMarshal.GetReference(w);
            ref double fs = ref MemoryMarshal.GetReference(frame);
            var vm = Vector256.Create(mean);
            var vc = Vector256.Create(c);
            for (; i - width + 1 >= 1; i -= width)
            {
                nuint at = (nuint)(i - width + 1);
                var current = Vector256.LoadUnsafe(ref xs, at) - vm;
                var previous = Vector256.LoadUnsafe(ref xs, at - 1) - vm;
                ((current - (vc * previous)) * Vector256.LoadUnsafe(ref ws, at)).StoreUnsafe(ref fs, at);
            }
        }

        for (; i >= 1; i--)
        {
            frame[i] = ((x[i] - mean) - (c * (x[i - 1] - mean))) * w[i];
        }

        frame[0] = (first - (c * first)) * w[0];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double LogEnergyAfterDcRemoval(ReadOnlySpan<double> window, double mean)
    {
        double sum = 0.0;
        for (int i = 0; i < window.Length; i++)
        {
            double v = window[i] - mean;
            sum += v * v;
        }

        return LogEnergy(sum);
    }

    private double LogEnergy(double energy) => Math.Max(Math.Log(Math.Max(energy, Epsilon)), _logEnergyFloor);
}
