namespace EdgeVoice.Vorbis.Tests;

/// <summary>The IMDCT straight from its definition, O(n^2) in double precision: the oracle for <see cref="Imdct"/>.</summary>
internal static class NaiveImdct
{
    public static double[] Inverse(float[] spectrum)
    {
        int n = spectrum.Length * 2;
        var output = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int k = 0; k < n / 2; k++)
            {
                sum += spectrum[k] * Math.Cos(2 * Math.PI / n * (i + 0.5 + (n / 4.0)) * (k + 0.5));
            }

            output[i] = sum;
        }

        return output;
    }
}
