namespace EdgeVoice.Features;

/// <summary>Builds the per-frame taper, with Kaldi's formulas evaluated in double precision.</summary>
internal static class FeatureWindow
{
    public static float[] Create(FeatureWindowType type, int size, double blackmanCoeff)
    {
        var window = new float[size];
        double a = 2.0 * Math.PI / (size - 1);
        for (int i = 0; i < size; i++)
        {
            double value = type switch
            {
                FeatureWindowType.Hanning => 0.5 - (0.5 * Math.Cos(a * i)),
                FeatureWindowType.Hamming => 0.54 - (0.46 * Math.Cos(a * i)),
                FeatureWindowType.Povey => Math.Pow(0.5 - (0.5 * Math.Cos(a * i)), 0.85),
                FeatureWindowType.Rectangular => 1.0,
                FeatureWindowType.Blackman => blackmanCoeff - (0.5 * Math.Cos(a * i)) + ((0.5 - blackmanCoeff) * Math.Cos(2.0 * a * i)),
                _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown window type."),
            };
            window[i] = (float)value;
        }

        return window;
    }
}
