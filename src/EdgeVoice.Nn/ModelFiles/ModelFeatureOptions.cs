using System.Globalization;

namespace EdgeVoice.Nn;

/// <summary>
/// The filterbank options the model was trained with: the "features" object of the metadata, written from
/// training/params.py's <c>FEATURE_OPTIONS</c>. Names follow Kaldi's FbankOptions/FrameExtractionOptions
/// (the same values torchaudio.compliance.kaldi.fbank takes); <see cref="ToKaldiArguments"/> spells them as
/// Kaldi command-line flags.
/// </summary>
public sealed class ModelFeatureOptions
{
    /// <summary>Kaldi <c>--sample-frequency</c> (Hz).</summary>
    public required double SampleFrequency { get; init; }

    /// <summary>Kaldi <c>--frame-length</c> (ms).</summary>
    public required double FrameLengthMs { get; init; }

    /// <summary>Kaldi <c>--frame-shift</c> (ms).</summary>
    public required double FrameShiftMs { get; init; }

    /// <summary>Kaldi <c>--dither</c>.</summary>
    public required double Dither { get; init; }

    /// <summary>Kaldi <c>--preemphasis-coefficient</c>.</summary>
    public required double PreemphasisCoefficient { get; init; }

    /// <summary>Kaldi <c>--remove-dc-offset</c>.</summary>
    public required bool RemoveDcOffset { get; init; }

    /// <summary>Kaldi <c>--window-type</c> (e.g. <c>povey</c>).</summary>
    public required string WindowType { get; init; }

    /// <summary>Kaldi <c>--round-to-power-of-two</c>.</summary>
    public required bool RoundToPowerOfTwo { get; init; }

    /// <summary>Kaldi <c>--snip-edges</c>.</summary>
    public required bool SnipEdges { get; init; }

    /// <summary>Kaldi <c>--num-mel-bins</c>.</summary>
    public required int NumMelBins { get; init; }

    /// <summary>Kaldi <c>--low-freq</c> (Hz).</summary>
    public required double LowFreq { get; init; }

    /// <summary>Kaldi <c>--high-freq</c> (Hz; negative means an offset from Nyquist).</summary>
    public required double HighFreq { get; init; }

    /// <summary>Kaldi <c>--use-energy</c>.</summary>
    public required bool UseEnergy { get; init; }

    /// <summary>Kaldi <c>--energy-floor</c>.</summary>
    public required double EnergyFloor { get; init; }

    /// <summary>Scale of the input samples: <c>float</c> ([−1, 1], as torchaudio.load) or <c>int16</c> (Kaldi's).</summary>
    public required string InputScale { get; init; }

    /// <summary>The options as Kaldi flags, e.g. <c>--sample-frequency=16000</c> (input scale has no Kaldi flag).</summary>
    public IReadOnlyList<string> ToKaldiArguments() =>
    [
        Flag("sample-frequency", SampleFrequency),
        Flag("frame-length", FrameLengthMs),
        Flag("frame-shift", FrameShiftMs),
        Flag("dither", Dither),
        Flag("preemphasis-coefficient", PreemphasisCoefficient),
        Flag("remove-dc-offset", RemoveDcOffset),
        $"--window-type={WindowType}",
        Flag("round-to-power-of-two", RoundToPowerOfTwo),
        Flag("snip-edges", SnipEdges),
        $"--num-mel-bins={NumMelBins}",
        Flag("low-freq", LowFreq),
        Flag("high-freq", HighFreq),
        Flag("use-energy", UseEnergy),
        Flag("energy-floor", EnergyFloor),
    ];

    /// <inheritdoc/>
    public override string ToString() => string.Join(" ", ToKaldiArguments()) + $" (input scale {InputScale})";

    private static string Flag(string name, double value) => $"--{name}={value.ToString("R", CultureInfo.InvariantCulture)}";

    private static string Flag(string name, bool value) => $"--{name}={(value ? "true" : "false")}";
}
