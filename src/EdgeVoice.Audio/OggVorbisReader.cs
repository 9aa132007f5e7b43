using EdgeVoice.Vorbis;

namespace EdgeVoice.Audio;

/// <summary>
/// Reads Ogg Vorbis (the format of the project's real speech data) into a mono clip at the target rate:
/// decode with the managed Vorbis decoder, average the channels, check the rate, resample.
/// </summary>
internal static class OggVorbisReader
{
    /// <summary>The capture pattern that starts every Ogg page.</summary>
    public static ReadOnlySpan<byte> CapturePattern => "OggS"u8;

    /// <summary>Decodes the stream; a null <paramref name="targetSampleRate"/> keeps the stream's own rate.</summary>
    public static AudioClip Read(Stream stream, string sourceName, int? targetSampleRate)
    {
        VorbisAudio decoded;
        try
        {
            decoded = VorbisFile.Decode(stream, sourceName);
        }
        catch (VorbisFormatException e)
        {
            throw new InvalidOggVorbisException(sourceName, "not decodable as Ogg Vorbis: " + TrimSource(e.Message, sourceName), AudioException.SoxConversion(sourceName), e);
        }

        if (decoded.SampleRate < AudioLimits.MinSampleRate || decoded.SampleRate > AudioLimits.MaxSampleRate)
        {
            throw new UnsupportedSampleRateException(sourceName, decoded.SampleRate);
        }

        if (decoded.FrameCount == 0)
        {
            throw new EmptyAudioException(sourceName, "the Ogg Vorbis stream holds no samples");
        }

        var mono = MixDown(decoded);
        var rate = targetSampleRate ?? decoded.SampleRate;
        var samples = decoded.SampleRate == rate
            ? mono
            : Resampler.Resample(mono, decoded.SampleRate, rate);
        return new AudioClip(samples, rate);
    }

    private static float[] MixDown(VorbisAudio decoded)
    {
        var channels = decoded.Channels;
        var interleaved = decoded.Interleaved;
        if (channels == 1)
        {
            return interleaved;
        }

        var mono = new float[decoded.FrameCount];
        var scale = 1f / channels;
        for (var frame = 0; frame < mono.Length; frame++)
        {
            var sum = 0f;
            var offset = frame * channels;
            for (var channel = 0; channel < channels; channel++)
            {
                sum += interleaved[offset + channel];
            }

            mono[frame] = sum * scale;
        }

        return mono;
    }

    /// <summary>The decoder's message starts with the source name already; keep it once.</summary>
    private static string TrimSource(string message, string sourceName)
    {
        var prefix = sourceName + ": ";
        var trimmed = message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..] : message;
        return trimmed.TrimEnd('.');
    }
}
