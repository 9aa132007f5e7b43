using System.Globalization;

namespace EdgeVoice.Audio;

/// <summary>
/// Design of the <see cref="Resampler"/>'s anti-aliasing / anti-imaging filter: a Kaiser-windowed sinc whose
/// stopband starts exactly at the Nyquist frequency of the lower of the two rates.
/// </summary>
/// <remarks>
/// With the defaults the response is flat within 0.001 dB up to 80 % of the lower Nyquist frequency and at
/// least 90 dB down from that Nyquist frequency on, at a cost of about 57 × (input rate / lower rate) taps per
/// output sample. The numbers are reproduced by <c>ResamplerQualityTests</c>.
/// </remarks>
public sealed class ResamplerOptions
{
    /// <summary>The EdgeVoice defaults. Equal to <c>new ResamplerOptions()</c>.</summary>
    public static ResamplerOptions Default { get; } = new();

    /// <summary>
    /// End of the passband as a fraction of the lower Nyquist frequency; the transition band runs from here to
    /// 1.0. Default 0.8 (EdgeVoice: 6.4 kHz of a 16 kHz output, above the 7.6 kHz-minus-margin band the
    /// filterbank uses; sox's "high" quality keeps 0.95 with a much longer filter).
    /// </summary>
    public double PassbandEdge { get; init; } = 0.8;

    /// <summary>
    /// Stopband attenuation the Kaiser design aims for, in dB. Default 90 (EdgeVoice: below the 16-bit
    /// quantisation floor of speech recorded at normal levels).
    /// </summary>
    public double StopbandAttenuationDb { get; init; } = 90.0;

    /// <summary>Throws <see cref="ArgumentException"/> listing every invalid property.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (!(PassbandEdge >= 0.5 && PassbandEdge <= 0.98))
        {
            problems.Add($"PassbandEdge is {PassbandEdge.ToString(CultureInfo.InvariantCulture)}; it must lie in [0.5, 0.98].");
        }

        if (!(StopbandAttenuationDb >= 40 && StopbandAttenuationDb <= 160))
        {
            problems.Add($"StopbandAttenuationDb is {StopbandAttenuationDb.ToString(CultureInfo.InvariantCulture)}; it must lie in [40, 160].");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"ResamplerOptions is invalid: {string.Join(" ", problems)}");
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"ResamplerOptions {{ PassbandEdge = {PassbandEdge}, StopbandAttenuationDb = {StopbandAttenuationDb} }}");
}
