using System.Buffers;

namespace EdgeVoice.Audio;

/// <summary>
/// Reads whole audio files into a mono <see cref="AudioClip"/> at the target rate (16 kHz unless told
/// otherwise): the entry point for offline recognition.
/// </summary>
/// <remarks>
/// <para>Example: <c>AudioClip clip = AudioFile.Read("meeting.wav");</c> gives mono samples in [-1, 1]
/// at 16 kHz, whatever the file's channels, encoding and rate (8..48 kHz).</para>
/// <para>The readers are thin loops over <see cref="WavStreamDecoder"/> and <see cref="RawPcm16StreamDecoder"/>,
/// so the formats, the rules and the samples are exactly theirs. Bad audio raises an
/// <see cref="AudioException"/> subclass whose message names the source, the problem and the fix;
/// I/O failures (a missing file, a broken pipe) raise the usual <see cref="IOException"/> family.</para>
/// </remarks>
public static class AudioFile
{
    private const int ReadBufferSize = 64 * 1024;

    /// <summary>Reads a WAV or Ogg Vorbis file.</summary>
    /// <exception cref="AudioException">The file is neither a readable WAV nor a readable Ogg Vorbis file.</exception>
    public static AudioClip Read(string path, int targetSampleRate = AudioLimits.DefaultSampleRate)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = OpenForReading(path);
        return Read(stream, path, targetSampleRate);
    }

    /// <summary>
    /// Reads a WAV or Ogg Vorbis file as mono samples at the file's own rate (8..48 kHz), for a consumer that
    /// resamples itself, such as a recognizer whose model names the resampler it was trained with.
    /// </summary>
    /// <exception cref="AudioException">The file is neither a readable WAV nor a readable Ogg Vorbis file.</exception>
    public static AudioClip ReadAtSourceRate(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = OpenForReading(path);
        var head = new byte[OggVorbisReader.CapturePattern.Length];
        var headLength = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (headLength == head.Length && head.AsSpan().SequenceEqual(OggVorbisReader.CapturePattern))
        {
            stream.Position = 0;
            return OggVorbisReader.Read(stream, path, targetSampleRate: null);
        }

        stream.Position = 0;
        var rate = ProbeWavSampleRate(stream, path);
        stream.Position = 0;
        return Read(stream, path, rate);
    }

    /// <summary>
    /// Reads a WAV or Ogg Vorbis stream to its end, telling the two apart by their first bytes;
    /// <paramref name="sourceName"/> names it in error messages.
    /// </summary>
    /// <exception cref="AudioException">The stream is neither a readable WAV nor a readable Ogg Vorbis stream.</exception>
    public static AudioClip Read(Stream stream, string sourceName, int targetSampleRate = AudioLimits.DefaultSampleRate)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var head = new byte[OggVorbisReader.CapturePattern.Length];
        var headLength = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (headLength == head.Length && head.AsSpan().SequenceEqual(OggVorbisReader.CapturePattern))
        {
            var whole = new MemoryStream();
            whole.Write(head);
            stream.CopyTo(whole);
            whole.Position = 0;
            return OggVorbisReader.Read(whole, sourceName, (int?)targetSampleRate);
        }

        var decoder = new WavStreamDecoder(sourceName, targetSampleRate);
        var prefix = new List<float>();
        decoder.Push(head.AsSpan(0, headLength), prefix);
        var samples = Pump(stream, decoder.Push, decoder.Complete, prefix);
        return new AudioClip(samples, targetSampleRate);
    }

    /// <summary>Reads a headerless mono signed 16-bit little-endian PCM file recorded at <paramref name="sampleRate"/>.</summary>
    /// <exception cref="AudioException">The rate is unsupported, or the file is empty or has an odd length.</exception>
    public static AudioClip ReadRawPcm16(string path, int sampleRate, int targetSampleRate = AudioLimits.DefaultSampleRate)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = OpenForReading(path);
        return ReadRawPcm16(stream, sampleRate, path, targetSampleRate);
    }

    /// <summary>
    /// Reads headerless mono signed 16-bit little-endian PCM from a stream (for example standard input) to its end.
    /// </summary>
    /// <exception cref="AudioException">The rate is unsupported, or the stream is empty or has an odd length.</exception>
    public static AudioClip ReadRawPcm16(Stream stream, int sampleRate, string sourceName, int targetSampleRate = AudioLimits.DefaultSampleRate)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var decoder = new RawPcm16StreamDecoder(sourceName, sampleRate, targetSampleRate);
        var samples = Pump(stream, decoder.Push, decoder.Complete);
        return new AudioClip(samples, targetSampleRate);
    }

    /// <summary>
    /// The rate a WAV stream declares, read by feeding its start to a decoder until the format chunk is parsed;
    /// a stream that ends first gets the decoder's own error for it.
    /// </summary>
    private static int ProbeWavSampleRate(Stream stream, string sourceName)
    {
        var probe = new WavStreamDecoder(sourceName);
        var discard = new List<float>();
        var buffer = new byte[4096];
        int read;
        while (probe.SourceSampleRate is null && (read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            probe.Push(buffer.AsSpan(0, read), discard);
            discard.Clear();
        }

        if (probe.SourceSampleRate is { } rate)
        {
            return rate;
        }

        probe.Complete(discard);
        throw new InvalidOperationException($"{sourceName}: the WAV decoder finished without a format chunk.");
    }

    private static FileStream OpenForReading(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);

    private delegate int PushBytes(ReadOnlySpan<byte> bytes, List<float> output);

    private static float[] Pump(Stream stream, PushBytes push, Func<List<float>, int> complete, List<float>? samples = null)
    {
        samples ??= new List<float>();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        try
        {
            int read;
            while ((read = stream.Read(buffer, 0, ReadBufferSize)) > 0)
            {
                push(buffer.AsSpan(0, read), samples);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        complete(samples);
        return samples.ToArray();
    }
}
