using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;

namespace EdgeVoice.Audio;

/// <summary>
/// Streaming band-limited sample-rate converter between any two rates in
/// [<see cref="AudioLimits.MinSampleRate"/>, <see cref="AudioLimits.MaxSampleRate"/>] Hz: a polyphase
/// Kaiser-windowed sinc filter for the exact ratio L/M (see <see cref="ResamplerOptions"/> for its response).
/// </summary>
/// <remarks>
/// <para>Usage: call <see cref="Process"/> with input chunks of any size (including empty ones), then
/// <see cref="Flush"/> once. The output is identical, bit for bit, however the input is split into chunks.
/// Equal input and output rates pass samples through unchanged.</para>
/// <para>Timing: output sample k sits at input time k·M/L; the filter is linear-phase and centred on that
/// instant (no delay). The signal is taken as zero before the first and after the last input sample, so
/// N input samples give exactly <see cref="OutputLength"/>(N) = ⌈N·L/M⌉ output samples.</para>
/// <para>An instance holds per-stream state and is not thread-safe; the filter coefficients are shared.</para>
/// </remarks>
public sealed class Resampler
{
    /// <summary>Input is appended to the history in slices of at most this many samples, bounding its size.</summary>
    private const int SliceLength = 4096;

    private readonly PolyphaseKernel? _kernel;
    private float[] _history = [];
    private long _historyStart;
    private int _historyCount;
    private long _inputCount;
    private long _nextBase;
    private int _nextPhase;
    private bool _flushed;

    /// <summary>Creates a resampler from <paramref name="inputRate"/> to <paramref name="outputRate"/> Hz.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate lies outside the supported range.</exception>
    public Resampler(int inputRate, int outputRate, ResamplerOptions? options = null)
    {
        Guard.SampleRate(inputRate, nameof(inputRate));
        Guard.SampleRate(outputRate, nameof(outputRate));
        options ??= ResamplerOptions.Default;
        options.Validate();
        InputRate = inputRate;
        OutputRate = outputRate;
        if (inputRate != outputRate)
        {
            _kernel = PolyphaseKernel.Get(inputRate, outputRate, options);
        }

        Reset();
    }

    /// <summary>Input sample rate, in Hz.</summary>
    public int InputRate { get; }

    /// <summary>Output sample rate, in Hz.</summary>
    public int OutputRate { get; }

    /// <summary>Filter taps applied per output sample (0 when the rates are equal).</summary>
    public int TapsPerOutput => _kernel?.Taps ?? 0;

    /// <summary>Number of output samples <paramref name="inputLength"/> input samples produce: ⌈N·L/M⌉.</summary>
    public long OutputLength(long inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        if (_kernel is null)
        {
            return inputLength;
        }

        return (long)Math.Ceiling((decimal)inputLength * _kernel.Up / _kernel.Down);
    }

    /// <summary>Resamples a whole signal in one call.</summary>
    public static float[] Resample(ReadOnlySpan<float> input, int inputRate, int outputRate, ResamplerOptions? options = null)
    {
        var resampler = new Resampler(inputRate, outputRate, options);
        var output = new List<float>((int)Math.Min(int.MaxValue, resampler.OutputLength(input.Length)));
        resampler.Process(input, output);
        resampler.Flush(output);
        return output.ToArray();
    }

    /// <summary>
    /// Consumes <paramref name="input"/> and appends every output sample whose filter window is now complete.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="Flush"/> was called and <see cref="Reset"/> was not.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Process(ReadOnlySpan<float> input, List<float> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_flushed)
        {
            throw new InvalidOperationException("The resampler was flushed; call Reset() before processing a new stream.");
        }

        if (_kernel is null)
        {
            output.AddRange(input);
            _inputCount += input.Length;
            return;
        }

        while (!input.IsEmpty)
        {
            var slice = input[..Math.Min(input.Length, SliceLength)];
            input = input[slice.Length..];
            Append(slice);
            _inputCount += slice.Length;
            Produce(_kernel, output);
            DiscardConsumedHistory(_kernel);
        }
    }

    /// <summary>Ends the stream: appends the remaining output samples, computed with zeros after the last input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Flush(List<float> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_flushed)
        {
            throw new InvalidOperationException("The resampler was already flushed; call Reset() before processing a new stream.");
        }

        _flushed = true;
        if (_kernel is null)
        {
            return;
        }

        Span<float> zeros = stackalloc float[Math.Min(_kernel.HalfTaps, 1024)];
        for (int left = _kernel.HalfTaps; left > 0; left -= zeros.Length)
        {
            Append(zeros[..Math.Min(left, zeros.Length)]);
        }

        Produce(_kernel, output);
    }

    /// <summary>Forgets all input, so the instance can resample a new stream.</summary>
    public void Reset()
    {
        _flushed = false;
        _inputCount = 0;
        _nextBase = 0;
        _nextPhase = 0;
        if (_kernel is null)
        {
            return;
        }

        // History starts K zeros before the first input sample: the filter window of output 0 reaches back there.
        int halfTaps = _kernel.HalfTaps;
        if (_history.Length < 2 * halfTaps)
        {
            _history = new float[(2 * halfTaps) + SliceLength];
        }

        Array.Clear(_history, 0, halfTaps);
        _historyStart = -halfTaps;
        _historyCount = halfTaps;
    }

    private void Append(ReadOnlySpan<float> samples)
    {
        int needed = _historyCount + samples.Length;
        if (needed > _history.Length)
        {
            Array.Resize(ref _history, Math.Max(needed, 2 * _history.Length));
        }

        samples.CopyTo(_history.AsSpan(_historyCount));
        _historyCount = needed;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Produce(PolyphaseKernel kernel, List<float> output)
    {
        int halfTaps = kernel.HalfTaps;
        int taps = kernel.Taps;
        long lastAvailable = _historyStart + _historyCount - 1;
        while (_nextBase + halfTaps <= lastAvailable && _nextBase < _inputCount)
        {
            int offset = (int)(_nextBase - halfTaps + 1 - _historyStart);
            output.Add(Dot(kernel.Phase(_nextPhase), _history.AsSpan(offset, taps)));
            _nextPhase += kernel.Down;
            _nextBase += _nextPhase / kernel.Up;
            _nextPhase %= kernel.Up;
        }
    }

    private void DiscardConsumedHistory(PolyphaseKernel kernel)
    {
        long keepFrom = _nextBase - kernel.HalfTaps + 1;
        int drop = (int)Math.Clamp(keepFrom - _historyStart, 0, _historyCount);
        if (drop == 0)
        {
            return;
        }

        Array.Copy(_history, drop, _history, 0, _historyCount - drop);
        _historyCount -= drop;
        _historyStart += drop;
    }

    /// <summary>Dot product with a fixed summation order (vector lanes, then the scalar tail), so results are reproducible.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot(ReadOnlySpan<float> weights, ReadOnlySpan<float> samples)
    {
        int i = 0;
        float sum = 0f;
        if (Vector.IsHardwareAccelerated && weights.Length >= Vector<float>.Count)
        {
            var accumulator = Vector<float>.Zero;
            var weightVectors = MemoryMarshal.Cast<float, Vector<float>>(weights);
            var sampleVectors = MemoryMarshal.Cast<float, Vector<float>>(samples);
            for (int v = 0; v < weightVectors.Length; v++)
            {
                accumulator += weightVectors[v] * sampleVectors[v];
            }

            sum = Vector.Sum(accumulator);
            i = weightVectors.Length * Vector<float>.Count;
        }

        for (; i < weights.Length; i++)
        {
            sum += weights[i] * samples[i];
        }

        return sum;
    }
}
