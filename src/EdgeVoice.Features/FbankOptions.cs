using System.Globalization;
using System.Text;

namespace EdgeVoice.Features;

/// <summary>
/// Options for Kaldi-compatible log-mel filterbank features, as computed by Kaldi's
/// <c>compute-fbank-feats</c> and by <c>torchaudio.compliance.kaldi.fbank</c>.
/// Property names are Kaldi's option names in PascalCase (<c>--frame-shift</c> is <see cref="FrameShiftMs"/>).
/// </summary>
/// <remarks>
/// <para>This class is the single source of truth for EdgeVoice's feature defaults: the CLI, the service
/// and the training recipe read them from here. Each default says where it comes from: "Kaldi" means
/// the default of Kaldi's FrameExtractionOptions / MelBanksOptions / FbankOptions (which torchaudio copies),
/// "EdgeVoice" means a deliberate choice for this toolkit.</para>
/// <para>Sample scale contract: input samples are floats in [-1, 1], exactly as <c>torchaudio.load</c>
/// returns them, not int16-scaled values. Log-mel values therefore differ from Kaldi's int16-scale
/// features by the constant 2 ln(32768) per bin.</para>
/// </remarks>
public sealed class FbankOptions
{
    /// <summary>The EdgeVoice defaults. Equal to <c>new FbankOptions()</c>.</summary>
    public static FbankOptions Default { get; } = new();

    /// <summary>Sample rate of the input, in Hz. Default 16000 (Kaldi).</summary>
    public double SampleFrequency { get; init; } = 16000.0;

    /// <summary>Window length in milliseconds. Default 25 (Kaldi).</summary>
    public double FrameLengthMs { get; init; } = 25.0;

    /// <summary>Frame shift in milliseconds. Default 10 (Kaldi).</summary>
    public double FrameShiftMs { get; init; } = 10.0;

    /// <summary>
    /// Standard deviation of Gaussian dither added to every sample, in input units. Default 0 (EdgeVoice:
    /// features are deterministic and match torchaudio's default; Kaldi's default of 1.0 assumes int16 scale).
    /// </summary>
    public double Dither { get; init; }

    /// <summary>
    /// Seed of the dither noise generator, so dithered features are reproducible. Default 0 (EdgeVoice;
    /// Kaldi and torchaudio draw unseeded noise, so dithered output never matches them bit for bit).
    /// </summary>
    public int DitherSeed { get; init; }

    /// <summary>Pre-emphasis coefficient: x[i] -= c * x[i-1]. Default 0.97 (Kaldi).</summary>
    public double PreemphasisCoefficient { get; init; } = 0.97;

    /// <summary>Subtract each frame's mean before pre-emphasis. Default true (Kaldi).</summary>
    public bool RemoveDcOffset { get; init; } = true;

    /// <summary>Window taper. Default <see cref="FeatureWindowType.Povey"/> (Kaldi).</summary>
    public FeatureWindowType WindowType { get; init; } = FeatureWindowType.Povey;

    /// <summary>Zero-pad each frame to the next power of two before the FFT. Default true (Kaldi).</summary>
    public bool RoundToPowerOfTwo { get; init; } = true;

    /// <summary>Constant of the generalised Blackman window. Default 0.42 (Kaldi).</summary>
    public double BlackmanCoeff { get; init; } = 0.42;

    /// <summary>
    /// If true, emit only frames whose whole window lies inside the signal; if false, reflect the signal
    /// at both ends and emit one frame per shift. Default true (Kaldi's default, kept by EdgeVoice because
    /// it streams: a frame is emitted as soon as its whole window has arrived, and never revised).
    /// </summary>
    public bool SnipEdges { get; init; } = true;

    /// <summary>Number of triangular mel bins. Default 80 (EdgeVoice, as in current ASR recipes; Kaldi's is 23).</summary>
    public int NumMelBins { get; init; } = 80;

    /// <summary>Low cut-off of the mel bins, in Hz. Default 20 (Kaldi).</summary>
    public double LowFreq { get; init; } = 20.0;

    /// <summary>
    /// High cut-off of the mel bins, in Hz; zero or negative means an offset from Nyquist, as in Kaldi.
    /// Default -400 (EdgeVoice: 7600 Hz at 16 kHz, 3600 Hz at 8 kHz; Kaldi's default is 0 = Nyquist).
    /// </summary>
    public double HighFreq { get; init; } = -400.0;

    /// <summary>Add the log frame energy as an extra coefficient. Default false (Kaldi).</summary>
    public bool UseEnergy { get; init; }

    /// <summary>
    /// Floor on the frame energy (absolute, not log); 0 means no floor. Default 0 (Kaldi's
    /// compute-fbank-feats; torchaudio's function default is 1.0). Only used with <see cref="UseEnergy"/>.
    /// </summary>
    public double EnergyFloor { get; init; }

    /// <summary>Measure the energy before pre-emphasis and windowing. Default true (Kaldi).</summary>
    public bool RawEnergy { get; init; } = true;

    /// <summary>Take the log of the mel energies. Default true (Kaldi).</summary>
    public bool UseLogFbank { get; init; } = true;

    /// <summary>Use the power spectrum rather than the magnitude. Default true (Kaldi).</summary>
    public bool UsePower { get; init; } = true;

    /// <summary>Put the energy last rather than first, as HTK does. Default false (Kaldi).</summary>
    public bool HtkCompat { get; init; }

    /// <summary>Window length in samples: trunc(SampleFrequency * FrameLengthMs / 1000), as Kaldi computes it.</summary>
    public int WindowSize => (int)(SampleFrequency * FrameLengthMs * 0.001);

    /// <summary>Frame shift in samples: trunc(SampleFrequency * FrameShiftMs / 1000).</summary>
    public int WindowShift => (int)(SampleFrequency * FrameShiftMs * 0.001);

    /// <summary>FFT length: <see cref="WindowSize"/>, rounded up to a power of two if <see cref="RoundToPowerOfTwo"/>.</summary>
    public int PaddedWindowSize => RoundToPowerOfTwo ? NextPowerOfTwo(WindowSize) : WindowSize;

    /// <summary>Values per frame: <see cref="NumMelBins"/>, plus one if <see cref="UseEnergy"/>.</summary>
    public int FeatureDimension => NumMelBins + (UseEnergy ? 1 : 0);

    /// <summary>The high cut-off in Hz after applying the negative-means-offset-from-Nyquist rule.</summary>
    public double ResolvedHighFreq => HighFreq <= 0.0 ? HighFreq + 0.5 * SampleFrequency : HighFreq;

    /// <summary>Checks every option and throws one <see cref="FeatureOptionsException"/> listing all problems.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (!(SampleFrequency > 0.0) || double.IsInfinity(SampleFrequency))
        {
            problems.Add($"{nameof(SampleFrequency)} must be a positive number of Hz (got {Format(SampleFrequency)}).");
        }

        bool rateOk = problems.Count == 0;
        if (!(FrameLengthMs > 0.0) || double.IsInfinity(FrameLengthMs))
        {
            problems.Add($"{nameof(FrameLengthMs)} must be positive (got {Format(FrameLengthMs)}).");
        }
        else if (rateOk && WindowSize < 2)
        {
            problems.Add($"{nameof(FrameLengthMs)} gives a window of {WindowSize} samples at {Format(SampleFrequency)} Hz; at least 2 are needed.");
        }

        if (!(FrameShiftMs > 0.0) || double.IsInfinity(FrameShiftMs))
        {
            problems.Add($"{nameof(FrameShiftMs)} must be positive (got {Format(FrameShiftMs)}).");
        }
        else if (rateOk && WindowShift < 1)
        {
            problems.Add($"{nameof(FrameShiftMs)} gives a shift of 0 samples at {Format(SampleFrequency)} Hz; at least 1 is needed.");
        }

        if (!(Dither >= 0.0) || double.IsInfinity(Dither))
        {
            problems.Add($"{nameof(Dither)} must be zero or positive (got {Format(Dither)}).");
        }

        if (!(PreemphasisCoefficient >= 0.0 && PreemphasisCoefficient <= 1.0))
        {
            problems.Add($"{nameof(PreemphasisCoefficient)} must be in [0, 1] (got {Format(PreemphasisCoefficient)}).");
        }

        if (!Enum.IsDefined(WindowType))
        {
            problems.Add($"{nameof(WindowType)} {(int)WindowType} is not a defined {nameof(FeatureWindowType)}.");
        }

        if (!double.IsFinite(BlackmanCoeff))
        {
            problems.Add($"{nameof(BlackmanCoeff)} must be finite (got {Format(BlackmanCoeff)}).");
        }

        if (rateOk && WindowSize >= 2 && !RoundToPowerOfTwo && !IsPowerOfTwo(WindowSize))
        {
            problems.Add($"{nameof(RoundToPowerOfTwo)} is false, so the FFT length is the window length ({WindowSize} samples), "
                + "which must then be a power of two (the FFT is radix-2); set it to true or change FrameLengthMs.");
        }

        if (NumMelBins <= 3)
        {
            problems.Add($"{nameof(NumMelBins)} must be greater than 3 (got {NumMelBins}).");
        }

        if (rateOk)
        {
            double nyquist = 0.5 * SampleFrequency;
            double high = ResolvedHighFreq;
            if (!(LowFreq >= 0.0 && LowFreq < nyquist))
            {
                problems.Add($"{nameof(LowFreq)} must be in [0, Nyquist = {Format(nyquist)}) Hz (got {Format(LowFreq)}).");
            }

            if (!(high > 0.0 && high <= nyquist))
            {
                problems.Add($"{nameof(HighFreq)} resolves to {Format(high)} Hz, which must be in (0, Nyquist = {Format(nyquist)}] Hz "
                    + "(zero or negative values are offsets from Nyquist).");
            }
            else if (LowFreq >= 0.0 && LowFreq < nyquist && !(LowFreq < high))
            {
                problems.Add($"{nameof(LowFreq)} ({Format(LowFreq)} Hz) must be below {nameof(HighFreq)} (resolved {Format(high)} Hz).");
            }
        }

        if (!(EnergyFloor >= 0.0) || double.IsInfinity(EnergyFloor))
        {
            problems.Add($"{nameof(EnergyFloor)} must be zero or positive (got {Format(EnergyFloor)}).");
        }

        if (problems.Count > 0)
        {
            throw new FeatureOptionsException(nameof(FbankOptions), problems);
        }
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder(nameof(FbankOptions)).Append(" { ");
        Append(sb, nameof(SampleFrequency), Format(SampleFrequency));
        Append(sb, nameof(FrameLengthMs), Format(FrameLengthMs));
        Append(sb, nameof(FrameShiftMs), Format(FrameShiftMs));
        Append(sb, nameof(Dither), Format(Dither));
        Append(sb, nameof(DitherSeed), DitherSeed.ToString(CultureInfo.InvariantCulture));
        Append(sb, nameof(PreemphasisCoefficient), Format(PreemphasisCoefficient));
        Append(sb, nameof(RemoveDcOffset), RemoveDcOffset.ToString());
        Append(sb, nameof(WindowType), WindowType.ToString());
        Append(sb, nameof(RoundToPowerOfTwo), RoundToPowerOfTwo.ToString());
        Append(sb, nameof(BlackmanCoeff), Format(BlackmanCoeff));
        Append(sb, nameof(SnipEdges), SnipEdges.ToString());
        Append(sb, nameof(NumMelBins), NumMelBins.ToString(CultureInfo.InvariantCulture));
        Append(sb, nameof(LowFreq), Format(LowFreq));
        Append(sb, nameof(HighFreq), Format(HighFreq));
        Append(sb, nameof(UseEnergy), UseEnergy.ToString());
        Append(sb, nameof(EnergyFloor), Format(EnergyFloor));
        Append(sb, nameof(RawEnergy), RawEnergy.ToString());
        Append(sb, nameof(UseLogFbank), UseLogFbank.ToString());
        Append(sb, nameof(UsePower), UsePower.ToString());
        sb.Append(nameof(HtkCompat)).Append(" = ").Append(HtkCompat).Append(" }");
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, string name, string value) =>
        sb.Append(name).Append(" = ").Append(value).Append(", ");

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static bool IsPowerOfTwo(int value) => value > 0 && (value & (value - 1)) == 0;

    private static int NextPowerOfTwo(int value)
    {
        int result = 1;
        while (result < value && result < (1 << 30))
        {
            result <<= 1;
        }

        return result;
    }
}
