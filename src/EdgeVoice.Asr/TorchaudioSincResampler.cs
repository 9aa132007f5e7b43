using System.Runtime.CompilerServices;
namespace EdgeVoice.Asr;

/// <summary>
/// Streaming sample-rate conversion that reproduces <c>torchaudio.functional.resample</c> with
/// <c>resampling_method="sinc_interpolation"</c> (torchaudio 0.13 <c>_get_sinc_resample_kernel</c> and
/// <c>_apply_sinc_resample_kernel</c>), which is how the training recipe brings 8 kHz corpora to 16 kHz
/// (model metadata <c>resample</c>). A model learns the spectrum that resampler leaves, including what its
/// Hann-windowed sinc lets through above the lower Nyquist frequency, so the runtime must resample the same way:
/// with EdgeVoice.Audio's Kaiser resampler the log-mel bins above 4 kHz of 8 kHz audio differ by up to 15.
/// </summary>
/// <remarks>
/// With <c>M = in / gcd</c>, <c>N = out / gcd</c>, <c>f = min(M, N) · rolloff</c> and
/// <c>w = ⌈lowpass_filter_width · M / f⌉</c>, output sample <c>iN + k</c> is
/// <c>Σ_m kernel[k][m] · xp[iM + m]</c> for <c>m &lt; 2w + M</c>, where <c>xp</c> is the input with w zeros before and
/// <c>w + M</c> after it, and <c>kernel[k][m] = sinc(π f t) · cos²(π t' / 2L) · f / M</c> with
/// <c>t = (m − w)/M − k/N</c>, <c>t' = clamp(f t, −L, L)</c>, L = lowpass_filter_width. The output has
/// <c>⌈N · length / M⌉</c> samples. Output block i is produced as soon as its window is complete.
/// </remarks>
internal sealed class TorchaudioSincResampler : IStreamResampler
{
    private readonly int _down;
    private readonly int _up;
    private readonly int _width;
    private readonly int _taps;
    private readonly float[] _kernel;
    private readonly List<float> _padded = new(4096);
    private long _inputCount;
    private long _outputCount;
    private int _nextBlockStart;
    private bool _flushed;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TorchaudioSincResampler(int inputRate, int outputRate, int lowpassFilterWidth, double rolloff)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lowpassFilterWidth);
        if (!(rolloff > 0 && rolloff <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rolloff), rolloff, "The rolloff must lie in (0, 1].");
        }

        int gcd = Gcd(inputRate, outputRate);
        _down = inputRate / gcd;
        _up = outputRate / gcd;
        double baseFrequency = Math.Min(_down, _up) * rolloff;
        _width = (int)Math.Ceiling(lowpassFilterWidth * _down / baseFrequency);
        _taps = (2 * _width) + _down;
        _kernel = new float[_up * _taps];
        double scale = baseFrequency / _down;
        for (int k = 0; k < _up; k++)
        {
            for (int m = 0; m < _taps; m++)
            {
                double t = (((double)(m - _width) / _down) - ((double)k / _up)) * baseFrequency;
                t = Math.Clamp(t, -lowpassFilterWidth, lowpassFilterWidth);
                double window = Math.Cos(t * Math.PI / lowpassFilterWidth / 2);
                double x = t * Math.PI;
                double sinc = x == 0 ? 1 : Math.Sin(x) / x;
                _kernel[(k * _taps) + m] = (float)(sinc * window * window * scale);
            }
        }

        _padded.AddRange(new float[_width]);
    }

    /// <summary>Taps per output sample.</summary>
    public int Taps => _taps;

    /// <summary>Consumes <paramref name="input"/> and appends every output sample whose window is complete.</summary>
    public void Process(ReadOnlySpan<float> input, List<float> output)
    {
        if (_flushed)
        {
            throw new InvalidOperationException("The resampler was flushed; create a new one for a new stream.");
        }

        _padded.AddRange(input);
        _inputCount += input.Length;
        Produce(output, long.MaxValue);
    }

    /// <summary>Ends the stream: the trailing zeros of torchaudio's padding, then the output up to ⌈N·length/M⌉.</summary>
    public void Flush(List<float> output)
    {
        if (_flushed)
        {
            return;
        }

        _flushed = true;
        _padded.AddRange(new float[_width + _down]);
        long target = ((_inputCount * _up) + _down - 1) / _down;
        Produce(output, target);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Produce(List<float> output, long target)
    {
        ReadOnlySpan<float> padded = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_padded);
        while (_nextBlockStart + _taps <= padded.Length && _outputCount < target)
        {
            ReadOnlySpan<float> window = padded.Slice(_nextBlockStart, _taps);
            for (int k = 0; k < _up && _outputCount < target; k++)
            {
                output.Add(System.Numerics.Tensors.TensorPrimitives.Dot(_kernel.AsSpan(k * _taps, _taps), window));
                _outputCount++;
            }

            _nextBlockStart += _down;
        }

        if (_nextBlockStart > 4096)
        {
            _padded.RemoveRange(0, _nextBlockStart);
            _nextBlockStart = 0;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
