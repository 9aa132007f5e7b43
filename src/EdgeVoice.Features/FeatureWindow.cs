using System.Runtime.CompilerServices;
namespace EdgeVoice.Features;

/// <summary>
/// Builds the per-frame taper in double precision, in torch's order of operations for a float64 waveform
/// (angle = n * (2 pi / (N - 1)); hann = cos(angle) * -0.5 + 0.5; povey = hann^0.85), which is also Kaldi's formula.
/// </summary>
/// <remarks>
/// The features are computed in double up to the log, so the taper is too: a float32 taper (torch's, for a
/// float32 waveform) differs by up to 2e-7, and that alone moves the log-mel values of weak bins by up to 7e-4.
/// </remarks>
internal static class FeatureWindow
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double[] Create(FeatureWindowType type, int size, double blackmanCoeff)
    {
        var window = new double[size];
        double step = 2.0 * Math.PI / (size - 1);
        double doubleStep = 2.0 * step;
        for (int i = 0; i < size; i++)
        {
            window[i] = type switch
            {
                FeatureWindowType.Hanning => Hamming(i * step, 0.5, 0.5),
                FeatureWindowType.Hamming => Hamming(i * step, 0.54, 0.46),
                FeatureWindowType.Povey => Math.Pow(Hamming(i * step, 0.5, 0.5), 0.85),
                FeatureWindowType.Rectangular => 1.0,
                FeatureWindowType.Blackman => blackmanCoeff - (0.5 * Math.Cos(i * step)) + ((0.5 - blackmanCoeff) * Math.Cos(i * doubleStep)),
                _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown window type."),
            };
        }

        return window;
    }

    // torch.hamming_window: arange(N).mul_(2 pi / (N - 1)).cos_().mul_(-beta).add_(alpha).
    private static double Hamming(double angle, double alpha, double beta) => (Math.Cos(angle) * -beta) + alpha;
}
