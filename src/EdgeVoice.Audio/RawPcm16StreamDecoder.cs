using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace EdgeVoice.Audio;

/// <summary>
/// Incremental decoder for headerless mono signed 16-bit little-endian PCM ("s16le", what
/// <c>arecord -f S16_LE</c> or <c>sox ... -t raw -e signed -b 16</c> write) at a rate the caller states.
/// Accepts bytes in chunks of any size and appends mono samples in [-1, 1] at <see cref="TargetSampleRate"/>;
/// the result does not depend on how the bytes are split.
/// </summary>
/// <remarks>
/// Usage: <c>var d = new RawPcm16StreamDecoder("stdin", 8000); d.Push(bytes, samples); ... d.Complete(samples);</c>
/// <see cref="Complete"/> throws <see cref="TruncatedAudioException"/> if the input ends on half a sample and
/// <see cref="EmptyAudioException"/> if it held no samples.
/// </remarks>
public sealed class RawPcm16StreamDecoder
{
    private const int MonoBufferSamples = 1024;

    private readonly float[] _mono = new float[MonoBufferSamples];
    private readonly ResamplingSink _sink;
    private byte? _pendingLowByte;
    private bool _done;

    /// <summary>Creates a decoder for one raw stream.</summary>
    /// <param name="sourceName">File path or stream name used in error messages.</param>
    /// <param name="sampleRate">Sample rate of the raw input, in Hz.</param>
    /// <param name="targetSampleRate">Rate of the emitted samples, in Hz (default 16000).</param>
    /// <exception cref="UnsupportedSampleRateException"><paramref name="sampleRate"/> is outside 8..48 kHz.</exception>
    public RawPcm16StreamDecoder(string sourceName, int sampleRate, int targetSampleRate = AudioLimits.DefaultSampleRate)
    {
        Guard.SourceName(sourceName, nameof(sourceName));
        Guard.SampleRate(targetSampleRate, nameof(targetSampleRate));
        if (!AudioLimits.IsSupportedSampleRate(sampleRate))
        {
            throw new UnsupportedSampleRateException(sourceName, sampleRate);
        }

        SourceName = sourceName;
        SampleRate = sampleRate;
        TargetSampleRate = targetSampleRate;
        _sink = new ResamplingSink(sampleRate, targetSampleRate);
    }

    /// <summary>File path or stream name used in error messages.</summary>
    public string SourceName { get; }

    /// <summary>Sample rate of the raw input, in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>Rate of the emitted samples, in Hz.</summary>
    public int TargetSampleRate { get; }

    /// <summary>Decodes <paramref name="bytes"/> and appends the samples that are ready to <paramref name="output"/>.</summary>
    /// <returns>The number of samples appended.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Push(ReadOnlySpan<byte> bytes, List<float> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        EnsureUsable();
        int before = output.Count;
        if (_pendingLowByte is byte low && !bytes.IsEmpty)
        {
            _mono[0] = (short)(low | (bytes[0] << 8)) * (1f / 32768);
            _sink.Write(_mono.AsSpan(0, 1), output);
            _pendingLowByte = null;
            bytes = bytes[1..];
        }

        while (bytes.Length >= 2)
        {
            int count = Math.Min(bytes.Length / 2, MonoBufferSamples);
            for (int i = 0; i < count; i++)
            {
                _mono[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes[(2 * i)..]) * (1f / 32768);
            }

            _sink.Write(_mono.AsSpan(0, count), output);
            bytes = bytes[(2 * count)..];
        }

        if (!bytes.IsEmpty)
        {
            _pendingLowByte = bytes[0];
        }

        return output.Count - before;
    }

    /// <summary>Ends the stream and appends the remaining (filter tail) samples.</summary>
    /// <returns>The number of samples appended.</returns>
    /// <exception cref="AudioException">The input ended on half a sample or held no samples.</exception>
    public int Complete(List<float> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        EnsureUsable();
        _done = true;
        if (_pendingLowByte is not null)
        {
            throw new TruncatedAudioException(
                SourceName,
                $"the raw 16-bit input has an odd length ({(2 * _sink.InputSamples) + 1} bytes), so its last sample is incomplete",
                "check that the input really is 16-bit PCM, or cut the stray byte");
        }

        if (_sink.InputSamples == 0)
        {
            throw new EmptyAudioException(SourceName, "the raw input holds no samples (0 bytes)");
        }

        int before = output.Count;
        _sink.Flush(output);
        return output.Count - before;
    }

    private void EnsureUsable()
    {
        if (_done)
        {
            throw new InvalidOperationException($"The decoder for {SourceName} is complete; create a new one for another stream.");
        }
    }
}
