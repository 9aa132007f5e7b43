namespace EdgeVoice.Features;

/// <summary>
/// Builds the per-frame taper the way torchaudio.compliance.kaldi does: in float32, in torch's order of
/// operations (angle = n * (float)(2 pi / (N - 1)); hann = cos(angle) * -0.5 + 0.5; povey = hann^0.85).
/// </summary>
/// <remarks>
/// Kaldi evaluates the same formulas in double precision; the two windows differ by at most 2e-7, but the
/// log-mel values of weak bins are so sensitive that this alone moves them by up to 7e-4. EdgeVoice models are
/// trained on torchaudio features, so torchaudio's rounding is the one reproduced here.
/// </remarks>
internal static class FeatureWindow
{
    public static float[] Create(FeatureWindowType type, int size, double blackmanCoeff)
    {
        var window = new float[size];
        float step = (float)(2.0 * Math.PI / (size - 1));
        float doubleStep = (float)(2.0 * (2.0 * Math.PI / (size - 1)));
        float coeff = (float)blackmanCoeff;
        for (int i = 0; i < size; i++)
        {
            float angle = i * step;
            window[i] = type switch
            {
                FeatureWindowType.Hanning => Hamming(angle, 0.5f, 0.5f),
                FeatureWindowType.Hamming => Hamming(angle, 0.54f, 0.46f),
                FeatureWindowType.Povey => MathF.Pow(Hamming(angle, 0.5f, 0.5f), 0.85f),
                FeatureWindowType.Rectangular => 1.0f,
                FeatureWindowType.Blackman => coeff - (0.5f * MathF.Cos(angle)) + ((0.5f - coeff) * MathF.Cos(i * doubleStep)),
                _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown window type."),
            };
        }

        return window;
    }

    // torch.hamming_window: arange(N).mul_(2 pi / (N - 1)).cos_().mul_(-beta).add_(alpha), all in float32.
    private static float Hamming(float angle, float alpha, float beta) => (MathF.Cos(angle) * -beta) + alpha;
}
