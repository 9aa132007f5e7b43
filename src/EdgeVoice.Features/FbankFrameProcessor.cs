using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace EdgeVoice.Features;

/// <summary>
/// Turns one window of samples into one feature vector, following the order of Kaldi's ProcessWindow and
/// torchaudio's _get_window: dither, DC removal, raw energy, pre-emphasis, taper, zero padding, FFT,
/// mel filters, log. All buffers are allocated up front; <see cref="Process"/> does not allocate.
/// </summary>
internal sealed class FbankFrameProcessor
{
    // Kaldi floors log arguments at std::numeric_limits<float>::epsilon(); torchaudio uses torch.finfo(float).eps.
    private const float Epsilon = 1.1920929e-07f;

    private readonly FbankOptions _options;
    private readonly int _windowSize;
    private readonly float[] _window;
    private readonly float[] _frame;
    private readonly float[] _dithered;
    private readonly float[] _spectrum;
    private readonly RealFft _fft;
    private readonly MelFilterBank _melBank;
    private readonly DitherNoise? _dither;
    private readonly float _logEnergyFloor;

    public FbankFrameProcessor(FbankOptions options)
    {
        _options = options;
        _windowSize = options.WindowSize;
        int padded = options.PaddedWindowSize;
        _window = FeatureWindow.Create(options.WindowType, _windowSize, options.BlackmanCoeff);
        _frame = new float[padded];
        _dithered = options.Dither > 0.0 ? new float[_windowSize] : [];
        _fft = new RealFft(padded);
        _spectrum = new float[_fft.NumBins];
        _melBank = new MelFilterBank(options.NumMelBins, padded, options.SampleFrequency, options.LowFreq, options.HighFreq);
        _dither = options.Dither > 0.0 ? new DitherNoise(options.DitherSeed) : null;
        _logEnergyFloor = options.EnergyFloor > 0.0 ? (float)Math.Log(options.EnergyFloor) : float.NegativeInfinity;
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

        float mean = options.RemoveDcOffset ? TensorPrimitives.Sum(window) / _windowSize : 0.0f;
        float logEnergy = 0.0f;
        if (options.UseEnergy && options.RawEnergy)
        {
            logEnergy = LogEnergyAfterDcRemoval(window, mean);
        }

        Span<float> frame = _frame.AsSpan(0, _windowSize);
        TaperFrame(window, mean, (float)options.PreemphasisCoefficient, _window, frame);

        if (options.UseEnergy && !options.RawEnergy)
        {
            logEnergy = LogEnergy(TensorPrimitives.SumOfSquares(frame));
        }

        _fft.PowerSpectrum(_frame, _spectrum);
        if (!options.UsePower)
        {
            TensorPrimitives.Sqrt(_spectrum, _spectrum);
        }

        int melOffset = options.UseEnergy && !options.HtkCompat ? 1 : 0;
        Span<float> mel = output.Slice(melOffset, options.NumMelBins);
        _melBank.Apply(_spectrum, mel);
        if (options.UseLogFbank)
        {
            TensorPrimitives.Max(mel, Epsilon, mel);
            TensorPrimitives.Log(mel, mel);
        }

        if (options.UseEnergy)
        {
            output[options.HtkCompat ? options.NumMelBins : 0] = logEnergy;
        }
    }

    /// <summary>
    /// frame[i] = ((x[i] - mean) - c (x[i-1] - mean)) * w[i], with x[-1] = x[0] (Kaldi's pre-emphasis of the
    /// first sample). One pass instead of separate DC, pre-emphasis and window passes; the arithmetic per
    /// sample is the same sequence of float operations as the separate passes. The padding stays zero.
    /// </summary>
    internal static void TaperFrame(ReadOnlySpan<float> x, float mean, float c, ReadOnlySpan<float> w, Span<float> frame)
    {
        int n = x.Length;
        frame[0] = ((x[0] - mean) - (c * (x[0] - mean))) * w[0];
        int i = 1;
        if (Vector.IsHardwareAccelerated && n - 1 >= Vector<float>.Count)
        {
            int width = Vector<float>.Count;
            ref float xs = ref MemoryMarshal.GetReference(x);
            ref float ws = ref MemoryMarshal.GetReference(w);
            ref float fs = ref MemoryMarshal.GetReference(frame);
            var vm = new Vector<float>(mean);
            var vc = new Vector<float>(c);
            for (; i <= n - width; i += width)
            {
                var current = Vector.LoadUnsafe(ref xs, (nuint)i) - vm;
                var previous = Vector.LoadUnsafe(ref xs, (nuint)(i - 1)) - vm;
                ((current - (vc * previous)) * Vector.LoadUnsafe(ref ws, (nuint)i)).StoreUnsafe(ref fs, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            frame[i] = ((x[i] - mean) - (c * (x[i - 1] - mean))) * w[i];
        }
    }

    private float LogEnergyAfterDcRemoval(ReadOnlySpan<float> window, float mean)
    {
        float sum = 0.0f;
        for (int i = 0; i < window.Length; i++)
        {
            float v = window[i] - mean;
            sum += v * v;
        }

        return LogEnergy(sum);
    }

    private float LogEnergy(float energy) => MathF.Max(MathF.Log(MathF.Max(energy, Epsilon)), _logEnergyFloor);
}
