using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace EdgeVoice.Features;

/// <summary>
/// Kaldi's triangular mel filters (mel-computations.cc, as in <c>torchaudio.compliance.kaldi.get_mel_banks</c>):
/// bins equally spaced on the mel scale mel(f) = 1127 ln(1 + f / 700) between the low and high cut-offs,
/// each a triangle evaluated in the mel domain at the FFT bin centres. The Nyquist bin always has weight 0.
/// Each filter is stored trimmed to its non-zero span, so <see cref="Apply"/> costs one short dot product per bin.
/// </summary>
/// <remarks>
/// The weights are evaluated in float32 in torchaudio's order of operations (as Kaldi also does, in its
/// BaseFloat) and stored as double; <see cref="Apply"/> works in double. torchaudio builds its weights in float32
/// even for a float64 waveform, and weak mel bins are so sensitive that weights from the same formulas in double
/// (up to 1e-5 different) move log-mel values by up to 1.7e-3 on real speech.
/// </remarks>
public sealed class MelFilterBank
{
    private readonly int[] _first;
    private readonly int[] _offsets;
    private readonly double[] _weights;

    /// <summary>Builds the filters.</summary>
    /// <param name="numBins">Number of mel bins, more than 3.</param>
    /// <param name="fftSize">FFT length (even); the spectrum has fftSize / 2 + 1 bins.</param>
    /// <param name="sampleFrequency">Sample rate in Hz.</param>
    /// <param name="lowFreq">Low cut-off in Hz, in [0, Nyquist).</param>
    /// <param name="highFreq">High cut-off in Hz; zero or negative is an offset from Nyquist.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public MelFilterBank(int numBins, int fftSize, double sampleFrequency, double lowFreq, double highFreq)
    {
        if (numBins <= 3)
        {
            throw new ArgumentOutOfRangeException(nameof(numBins), numBins, "At least 4 mel bins are needed.");
        }

        if (fftSize < 2 || fftSize % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fftSize), fftSize, "The FFT size must be even and at least 2.");
        }

        if (!(sampleFrequency > 0.0) || double.IsInfinity(sampleFrequency))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleFrequency), sampleFrequency, "The sample rate must be positive.");
        }

        double nyquist = 0.5 * sampleFrequency;
        double high = highFreq <= 0.0 ? highFreq + nyquist : highFreq;
        if (!(lowFreq >= 0.0 && lowFreq < nyquist && high > 0.0 && high <= nyquist && lowFreq < high))
        {
            throw new ArgumentOutOfRangeException(
                nameof(highFreq),
                $"Bad cut-offs: low {lowFreq} Hz and high {highFreq} Hz (resolved {high} Hz) versus Nyquist {nyquist} Hz.");
        }

        NumBins = numBins;
        FftSize = fftSize;
        LowFreq = lowFreq;
        HighFreq = high;

        // torchaudio's get_mel_banks: the cut-offs' mels and the spacing are Python floats (double); every tensor
        // expression is float32, with the double scalars rounded to float32 first.
        int numFftBins = fftSize / 2;
        float binWidth = (float)(sampleFrequency / fftSize);
        float melLow = (float)MelScale(lowFreq);
        float melDelta = (float)((MelScale(high) - MelScale(lowFreq)) / (numBins + 1));

        var fftMel = new float[numFftBins];
        for (int i = 0; i < numFftBins; i++)
        {
            fftMel[i] = MelScaleFloat32(i * binWidth);
        }

        _first = new int[numBins];
        _offsets = new int[numBins + 1];
        var weights = new List<double>();
        var row = new float[numFftBins];
        for (int b = 0; b < numBins; b++)
        {
            float left = (b * melDelta) + melLow;
            float center = ((b + 1.0f) * melDelta) + melLow;
            float right = ((b + 2.0f) * melDelta) + melLow;
            int first = -1, last = -1;
            for (int i = 0; i < numFftBins; i++)
            {
                float up = (fftMel[i] - left) / (center - left);
                float down = (right - fftMel[i]) / (right - center);
                float w = MathF.Max(0.0f, MathF.Min(up, down));
                row[i] = w;
                if (w > 0.0f)
                {
                    first = first < 0 ? i : first;
                    last = i;
                }
            }

            _offsets[b] = weights.Count;
            if (first >= 0)
            {
                _first[b] = first;
                for (int i = first; i <= last; i++)
                {
                    weights.Add(row[i]);
                }
            }
        }

        _offsets[numBins] = weights.Count;
        _weights = weights.ToArray();
    }

    /// <summary>Number of mel bins.</summary>
    public int NumBins { get; }

    /// <summary>FFT length the filters were built for.</summary>
    public int FftSize { get; }

    /// <summary>Length of the spectrum <see cref="Apply"/> expects: FftSize / 2 + 1.</summary>
    public int NumFftBins => (FftSize / 2) + 1;

    /// <summary>Low cut-off in Hz.</summary>
    public double LowFreq { get; }

    /// <summary>High cut-off in Hz, after resolving a non-positive value against Nyquist.</summary>
    public double HighFreq { get; }

    /// <summary>Kaldi's mel scale: 1127 ln(1 + hz / 700).</summary>
    public static double MelScale(double hz) => 1127.0 * Math.Log(1.0 + (hz / 700.0));

    /// <summary>
    /// torchaudio's tensor mel_scale in float32: 1127 * log(1 + hz / 700), each operation rounded to float32. The log
    /// is rounded correctly (from the double log); torch's vectorised float32 log (SLEEF, within 1 ulp) rounds
    /// the other way for 3 of the 256 bins at 16 kHz, which changes 5 weights by up to 7e-6 and log-mel values
    /// by up to 5e-5 (docs/features.md).
    /// </summary>
    internal static float MelScaleFloat32(float hz) => (float)Math.Log(1.0f + (hz / 700.0f)) * 1127.0f;

    /// <summary>Inverse of <see cref="MelScale"/>: 700 (exp(mel / 1127) - 1).</summary>
    public static double InverseMelScale(double mel) => 700.0 * (Math.Exp(mel / 1127.0) - 1.0);

    /// <summary>Index of the first FFT bin with a non-zero weight in filter <paramref name="bin"/>.</summary>
    public int GetFirstFftBin(int bin) => _first[bin];

    /// <summary>The non-zero span of filter <paramref name="bin"/>, starting at <see cref="GetFirstFftBin"/>.</summary>
    public ReadOnlySpan<double> GetWeights(int bin) => _weights.AsSpan(_offsets[bin], _offsets[bin + 1] - _offsets[bin]);

    /// <summary>energies[b] = sum_k weight[b, k] * spectrum[k].</summary>
    /// <param name="spectrum">At least <see cref="NumFftBins"/> values.</param>
    /// <param name="energies">At least <see cref="NumBins"/> values.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(ReadOnlySpan<double> spectrum, Span<double> energies)
    {
        if (spectrum.Length < NumFftBins)
        {
            throw new ArgumentException($"The spectrum must hold at least {NumFftBins} bins (got {spectrum.Length}).", nameof(spectrum));
        }

        if (energies.Length < NumBins)
        {
            throw new ArgumentException($"The output must hold at least {NumBins} values (got {energies.Length}).", nameof(energies));
        }

        ReadOnlySpan<double> all = _weights;
        for (int b = 0; b < NumBins; b++)
        {
            int start = _offsets[b];
            int length = _offsets[b + 1] - start;
            double sum = 0.0;
            ReadOnlySpan<double> x = spectrum.Slice(_first[b], length), w = all.Slice(start, length);
            for (int k = 0; k < x.Length; k++)
            {
                sum += x[k] * w[k];
            }

            energies[b] = sum;
        }
    }
}
