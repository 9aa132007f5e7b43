using System.Numerics.Tensors;

namespace EdgeVoice.Features;

/// <summary>
/// Turns one window of samples into one feature vector, following the order of Kaldi's
/// FeatureWindowFunction / ProcessWindow and torchaudio's _get_window: dither, DC removal, raw energy,
/// pre-emphasis, taper, zero padding, FFT, mel filters, log. All buffers are allocated up front.
/// </summary>
internal sealed class FbankFrameProcessor
{
    // Kaldi floors log arguments at std::numeric_limits<float>::epsilon(); torchaudio uses torch.finfo(float).eps.
    private const float Epsilon = 1.1920929e-07f;

    private readonly FbankOptions _options;
    private readonly int _windowSize;
    private readonly float[] _window;
    private readonly float[] _frame;
    private readonly float[] _scratch;
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
        _scratch = new float[_windowSize];
        _fft = new RealFft(padded);
        _spectrum = new float[_fft.NumBins];
        _melBank = new MelFilterBank(options.NumMelBins, padded, options.SampleFrequency, options.LowFreq, options.HighFreq);
        _dither = options.Dither > 0.0 ? new DitherNoise(options.DitherSeed) : null;
        _logEnergyFloor = options.EnergyFloor > 0.0 ? (float)Math.Log(options.EnergyFloor) : float.NegativeInfinity;
    }

    public int WindowSize => _windowSize;

    /// <summary>The frame buffer; callers copy the window's samples into its first WindowSize values.</summary>
    public Span<float> Input => _frame.AsSpan(0, _windowSize);

    /// <summary>Processes the samples already placed in <see cref="Input"/>.</summary>
    public void Process(Span<float> output)
    {
        var options = _options;
        Span<float> frame = _frame.AsSpan(0, _windowSize);

        _dither?.AddTo(frame, (float)options.Dither);

        if (options.RemoveDcOffset)
        {
            float mean = TensorPrimitives.Sum(frame) / _windowSize;
            TensorPrimitives.Subtract(frame, mean, frame);
        }

        float logEnergy = 0.0f;
        if (options.UseEnergy && options.RawEnergy)
        {
            logEnergy = LogEnergy(frame);
        }

        if (options.PreemphasisCoefficient != 0.0)
        {
            float c = (float)options.PreemphasisCoefficient;
            Span<float> previous = _scratch;
            previous[0] = c * frame[0];
            TensorPrimitives.Multiply(frame[..^1], c, previous[1..]);
            TensorPrimitives.Subtract(frame, previous, frame);
        }

        TensorPrimitives.Multiply(frame, _window, frame);
        _frame.AsSpan(_windowSize).Clear();

        if (options.UseEnergy && !options.RawEnergy)
        {
            logEnergy = LogEnergy(frame);
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

    private float LogEnergy(ReadOnlySpan<float> frame)
    {
        float energy = MathF.Log(MathF.Max(TensorPrimitives.SumOfSquares(frame), Epsilon));
        return MathF.Max(energy, _logEnergyFloor);
    }
}
