using System.Runtime.CompilerServices;
namespace EdgeVoice.Features;

/// <summary>
/// Streaming Kaldi-compatible log-mel filterbank. Feed audio in pieces of any size with
/// <see cref="AcceptWaveform"/>; frames are computed as soon as their window is complete, and the result
/// does not depend on how the audio was split (frames are bit-identical for any chunking).
/// </summary>
/// <example>
/// <code>
/// var fbank = new OnlineFbank(FbankOptions.Default);
/// fbank.AcceptWaveform(chunk);                  // floats in [-1, 1], at options.SampleFrequency
/// var frame = new float[fbank.Dimension];
/// while (next &lt; fbank.NumFramesReady) fbank.GetFrame(next++, frame);
/// fbank.InputFinished();                        // flushes the last frames when SnipEdges is false
/// </code>
/// </example>
/// <remarks>
/// <para>Frame indices are absolute (0 is the first frame of the stream). Frames stay stored until they are
/// removed with <see cref="ReadFrames"/>, so a long-running stream should drain them.</para>
/// <para>Work per frame does not allocate; buffers grow only when a chunk or the stored frames outgrow them.
/// An instance is not thread-safe.</para>
/// </remarks>
public sealed class OnlineFbank
{
    private readonly FbankFrameProcessor _processor;
    private readonly int _windowSize;
    private readonly int _windowShift;
    private readonly int _edgePad;
    private readonly float[] _reflected;
    private float[] _samples;
    private long _samplesStart;
    private int _samplesCount;
    private float[] _frames;
    private long _firstStoredFrame;
    private long _framesReady;

    /// <summary>Creates a stream; the options are validated first.</summary>
    /// <exception cref="FeatureOptionsException">The options are invalid.</exception>
    public OnlineFbank(FbankOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Dimension = options.FeatureDimension;
        _processor = new FbankFrameProcessor(options);
        _windowSize = options.WindowSize;
        _windowShift = options.WindowShift;
        _edgePad = (_windowSize / 2) - (_windowShift / 2);
        _reflected = options.SnipEdges ? [] : new float[_windowSize];
        _samples = new float[Math.Max(4 * _windowSize, 4096)];
        _frames = new float[64 * Dimension];
    }

    /// <summary>The options the stream was built with.</summary>
    public FbankOptions Options { get; }

    /// <summary>Values per frame (<see cref="FbankOptions.FeatureDimension"/>).</summary>
    public int Dimension { get; }

    /// <summary>Number of frames computed so far; frames 0 .. NumFramesReady - 1 exist.</summary>
    public int NumFramesReady => checked((int)_framesReady);

    /// <summary>Index of the oldest frame still stored (frames before it were removed by <see cref="ReadFrames"/>).</summary>
    public int FirstStoredFrame => checked((int)_firstStoredFrame);

    /// <summary>Number of samples accepted so far.</summary>
    public long NumSamplesAccepted { get; private set; }

    /// <summary>True after <see cref="InputFinished"/>.</summary>
    public bool IsInputFinished { get; private set; }

    /// <summary>Appends samples (floats in [-1, 1]) and computes every frame whose window is now complete.</summary>
    /// <exception cref="InvalidOperationException"><see cref="InputFinished"/> was already called.</exception>
    public void AcceptWaveform(ReadOnlySpan<float> samples)
    {
        if (IsInputFinished)
        {
            throw new InvalidOperationException("AcceptWaveform was called after InputFinished; create a new OnlineFbank for a new stream.");
        }

        if (samples.IsEmpty)
        {
            return;
        }

        DiscardUnneededSamples();
        EnsureSampleCapacity(_samplesCount + samples.Length);
        samples.CopyTo(_samples.AsSpan(_samplesCount));
        _samplesCount += samples.Length;
        NumSamplesAccepted += samples.Length;
        ComputeReadyFrames();
    }

    /// <summary>
    /// Marks the end of the stream. With <see cref="FbankOptions.SnipEdges"/> false this computes the final
    /// frames, whose windows reach past the end and are filled by reflection; with SnipEdges true no frame changes.
    /// </summary>
    public void InputFinished()
    {
        if (IsInputFinished)
        {
            return;
        }

        IsInputFinished = true;
        ComputeReadyFrames();
    }

    /// <summary>Copies frame <paramref name="frame"/> (absolute index) into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The frame is not ready yet or was already removed.</exception>
    public void GetFrame(int frame, Span<float> destination)
    {
        if (frame < _firstStoredFrame || frame >= _framesReady)
        {
            throw new ArgumentOutOfRangeException(
                nameof(frame),
                frame,
                $"Frame {frame} is not stored: frames {_firstStoredFrame} to {_framesReady - 1} are available.");
        }

        if (destination.Length < Dimension)
        {
            throw new ArgumentException($"The destination must hold at least {Dimension} values (got {destination.Length}).", nameof(destination));
        }

        _frames.AsSpan((int)(frame - _firstStoredFrame) * Dimension, Dimension).CopyTo(destination);
    }

    /// <summary>
    /// Moves the oldest stored frames into <paramref name="destination"/> (row-major, <see cref="Dimension"/>
    /// values per frame), as many as fit, and removes them from the stream.
    /// </summary>
    /// <returns>The number of frames written.</returns>
    public int ReadFrames(Span<float> destination)
    {
        int stored = (int)(_framesReady - _firstStoredFrame);
        int count = Math.Min(stored, destination.Length / Dimension);
        if (count == 0)
        {
            return 0;
        }

        int values = count * Dimension;
        _frames.AsSpan(0, values).CopyTo(destination);
        _frames.AsSpan(values, (stored - count) * Dimension).CopyTo(_frames);
        _firstStoredFrame += count;
        return count;
    }

    private long FrameStart(long frame) => (frame * _windowShift) - (Options.SnipEdges ? 0 : _edgePad);

    /// <summary>Number of frames a complete signal of <paramref name="numSamples"/> samples produces.</summary>
    internal int FrameCountFor(long numSamples) => checked((int)FrameCount(numSamples));

    private long FinalFrameCount() => FrameCount(NumSamplesAccepted);

    private long FrameCount(long n)
    {
        if (Options.SnipEdges)
        {
            return n < _windowSize ? 0 : 1 + ((n - _windowSize) / _windowShift);
        }

        return n == 0 ? 0 : (n + (_windowShift / 2)) / _windowShift;
    }

    private bool IsFrameReady(long frame)
    {
        if (IsInputFinished)
        {
            return frame < FinalFrameCount();
        }

        return FrameStart(frame) + _windowSize <= NumSamplesAccepted;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ComputeReadyFrames()
    {
        while (IsFrameReady(_framesReady))
        {
            EnsureFrameCapacity();
            int slot = (int)(_framesReady - _firstStoredFrame) * Dimension;
            _processor.Process(Window(FrameStart(_framesReady)), _frames.AsSpan(slot, Dimension));
            _framesReady++;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<float> Window(long start)
    {
        long end = start + _windowSize;
        if (start >= _samplesStart && end <= NumSamplesAccepted)
        {
            return _samples.AsSpan((int)(start - _samplesStart), _windowSize);
        }

        // Only reached with SnipEdges false: mirror the signal at its ends as Kaldi does
        // (sample -1 is sample 0, sample n is sample n - 1).
        long n = NumSamplesAccepted;
        for (int i = 0; i < _windowSize; i++)
        {
            long s = start + i;
            while (s < 0 || s >= n)
            {
                s = s < 0 ? -s - 1 : (2 * n) - 1 - s;
            }

            _reflected[i] = _samples[(int)(s - _samplesStart)];
        }

        return _reflected;
    }

    private void DiscardUnneededSamples()
    {
        // Keep everything from the next frame's first sample; while that is negative (reflected left edge),
        // keep the stream's first samples too.
        long keepFrom = Math.Max(0, FrameStart(_framesReady));
        int drop = (int)Math.Min(keepFrom - _samplesStart, _samplesCount);
        if (drop <= 0)
        {
            return;
        }

        _samples.AsSpan(drop, _samplesCount - drop).CopyTo(_samples);
        _samplesCount -= drop;
        _samplesStart += drop;
    }

    private void EnsureSampleCapacity(int needed)
    {
        if (needed > _samples.Length)
        {
            Array.Resize(ref _samples, Math.Max(needed, 2 * _samples.Length));
        }
    }

    private void EnsureFrameCapacity()
    {
        int needed = (int)(_framesReady - _firstStoredFrame + 1) * Dimension;
        if (needed > _frames.Length)
        {
            Array.Resize(ref _frames, Math.Max(needed, 2 * _frames.Length));
        }
    }
}
