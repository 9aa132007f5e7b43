namespace EdgeVoice.Features;

/// <summary>
/// The taper applied to each frame before the FFT. Names and formulas follow Kaldi's
/// <c>--window-type</c> option (feature-window.cc) as reproduced by torchaudio.compliance.kaldi.
/// </summary>
public enum FeatureWindowType
{
    /// <summary>Hann window raised to the power 0.85 (Kaldi's default, "povey").</summary>
    Povey,

    /// <summary>Symmetric Hann window: 0.5 - 0.5 cos(2 pi n / (N - 1)).</summary>
    Hanning,

    /// <summary>Symmetric Hamming window: 0.54 - 0.46 cos(2 pi n / (N - 1)).</summary>
    Hamming,

    /// <summary>No taper.</summary>
    Rectangular,

    /// <summary>Generalised Blackman window using <see cref="FbankOptions.BlackmanCoeff"/>.</summary>
    Blackman,
}
