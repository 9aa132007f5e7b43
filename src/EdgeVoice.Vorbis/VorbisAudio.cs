namespace EdgeVoice.Vorbis;

/// <summary>
/// Decoded Vorbis audio: interleaved float samples in [-1, 1] (frame by frame, channel by channel),
/// with the sample rate and channel count of the stream.
/// </summary>
public sealed class VorbisAudio
{
    /// <summary>Creates the result of a decode.</summary>
    /// <param name="interleaved">Samples, <paramref name="channels"/> per frame.</param>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <param name="channels">Channel count.</param>
    public VorbisAudio(float[] interleaved, int sampleRate, int channels)
    {
        ArgumentNullException.ThrowIfNull(interleaved);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        if (interleaved.Length % channels != 0)
        {
            throw new ArgumentException($"The sample count {interleaved.Length} is not a multiple of the channel count {channels}.", nameof(interleaved));
        }

        Interleaved = interleaved;
        SampleRate = sampleRate;
        Channels = channels;
    }

    /// <summary>Samples in [-1, 1], interleaved: frame 0 channel 0, frame 0 channel 1, ...</summary>
    public float[] Interleaved { get; }

    /// <summary>Sample rate in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>Number of channels.</summary>
    public int Channels { get; }

    /// <summary>Samples per channel.</summary>
    public int FrameCount => Interleaved.Length / Channels;

    /// <summary>Length of the audio in time.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)FrameCount / SampleRate);

    /// <summary>A copy of one channel's samples.</summary>
    /// <param name="channel">Zero-based channel index.</param>
    public float[] GetChannel(int channel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, Channels);
        var samples = new float[FrameCount];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = Interleaved[(i * Channels) + channel];
        }

        return samples;
    }
}
