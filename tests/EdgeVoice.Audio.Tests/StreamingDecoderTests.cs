using System.Runtime.InteropServices;

namespace EdgeVoice.Audio.Tests;

public sealed class StreamingDecoderTests
{
    public static TheoryData<string> Files() => new(SampleFiles.All.Keys);

    [Theory]
    [MemberData(nameof(Files))]
    public void Any_chunking_gives_the_same_samples_as_reading_the_whole_file(string name)
    {
        byte[] wav = SampleFiles.All[name];
        var whole = AudioFile.Read(new MemoryStream(wav), name).Samples;

        var oneByte = DecodeInChunks(wav, name, _ => 1);
        var random = new Random(name.Length * 31);
        var randomChunks = DecodeInChunks(wav, name, remaining => random.Next(0, Math.Min(remaining, 700) + 1));
        var oneCall = DecodeInChunks(wav, name, remaining => remaining);

        AssertBitIdentical(whole, oneByte);
        AssertBitIdentical(whole, randomChunks);
        AssertBitIdentical(whole, oneCall);
        Assert.NotEmpty(whole);
    }

    [Fact]
    public void Samples_arrive_while_pushing_not_only_at_completion()
    {
        byte[] wav = SampleFiles.All["pcm16-44100-stereo"];
        var decoder = new WavStreamDecoder("live.wav");
        var output = new List<float>();

        int duringPush = decoder.Push(wav, output);
        int atCompletion = decoder.Complete(output);

        Assert.Equal(44100, decoder.SourceSampleRate);
        Assert.Equal(2, decoder.SourceChannels);
        Assert.True(duringPush > 0);
        Assert.True(atCompletion < 40, $"{atCompletion} samples (over 2.5 ms) were held back for the filter tail");
        Assert.Equal(duringPush + atCompletion, output.Count);
    }

    [Fact]
    public void Raw_pcm16_matches_the_wav_reader_and_ignores_chunking()
    {
        var values = Enumerable.Range(0, 2205).Select(i => 0.4 * Math.Sin(i * 0.031)).ToArray();
        byte[] raw = SampleCodec.Pcm16.Encode(values).Bytes;
        byte[] wav = new TestWav { SampleRate = 22050, Data = raw }.ToBytes();

        var fromWav = AudioFile.Read(new MemoryStream(wav), "x.wav").Samples;
        var fromRaw = AudioFile.ReadRawPcm16(new MemoryStream(raw), 22050, "stdin").Samples;
        var random = new Random(5);
        var decoder = new RawPcm16StreamDecoder("stdin", 22050);
        var chunked = new List<float>();
        for (int offset = 0; offset < raw.Length;)
        {
            int size = Math.Min(raw.Length - offset, random.Next(0, 9));
            decoder.Push(raw.AsSpan(offset, size), chunked);
            offset += size;
        }

        decoder.Complete(chunked);

        AssertBitIdentical(fromWav, fromRaw);
        AssertBitIdentical(fromWav, chunked.ToArray());
    }

    [Fact]
    public void Raw_pcm16_reads_from_a_file_at_16_kHz_without_change()
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgevoice-raw-{Guid.NewGuid():N}.s16");
        try
        {
            File.WriteAllBytes(path, [0x00, 0x80, 0xFF, 0x7F, 0x00, 0x00, 0x00, 0x40]);

            var clip = AudioFile.ReadRawPcm16(path, 16000);

            Assert.Equal([-1f, 32767f / 32768, 0f, 0.5f], clip.Samples);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Raw_pcm16_errors_are_audio_exceptions_naming_the_source()
    {
        var odd = Assert.Throws<TruncatedAudioException>(() => AudioFile.ReadRawPcm16(new MemoryStream([1, 2, 3]), 16000, "odd.raw"));
        var empty = Assert.Throws<EmptyAudioException>(() => AudioFile.ReadRawPcm16(new MemoryStream(), 16000, "empty.raw"));
        var rate = Assert.Throws<UnsupportedSampleRateException>(() => AudioFile.ReadRawPcm16(new MemoryStream([1, 2]), 96000, "fast.raw"));

        Assert.Contains("odd.raw", odd.Message, StringComparison.Ordinal);
        Assert.Contains("empty.raw", empty.Message, StringComparison.Ordinal);
        Assert.Contains("fast.raw", rate.Message, StringComparison.Ordinal);
    }

    internal static float[] DecodeInChunks(byte[] wav, string name, Func<int, int> nextChunkSize)
    {
        var decoder = new WavStreamDecoder(name);
        var output = new List<float>();
        for (int offset = 0; offset < wav.Length;)
        {
            int size = nextChunkSize(wav.Length - offset);
            decoder.Push(wav.AsSpan(offset, size), output);
            offset += size;
        }

        decoder.Complete(output);
        return output.ToArray();
    }

    internal static void AssertBitIdentical(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(
            MemoryMarshal.AsBytes(expected.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(actual.AsSpan())),
            "the samples differ");
    }
}
