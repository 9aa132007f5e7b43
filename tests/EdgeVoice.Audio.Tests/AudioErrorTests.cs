using System.Buffers.Binary;

namespace EdgeVoice.Audio.Tests;

public sealed class AudioErrorTests
{
    private static readonly byte[] ValidData = SampleCodec.Pcm16.Encode([0.1, -0.1, 0.2, -0.2]).Bytes;

    public static TheoryData<string, byte[], Type> Cases()
    {
        byte[] valid = new TestWav { Data = ValidData }.ToBytes();
        return new TheoryData<string, byte[], Type>
        {
            { "empty", [], typeof(EmptyAudioException) },
            { "ten-bytes", valid[..10], typeof(TruncatedAudioException) },
            { "cut-in-fmt", valid[..30], typeof(TruncatedAudioException) },
            { "cut-in-chunk-header", valid[..40], typeof(TruncatedAudioException) },
            { "cut-in-data", valid[..47], typeof(TruncatedAudioException) },
            { "not-riff", "MThd\0\0\0\u0006WAVEfmt "u8.ToArray(), typeof(InvalidWavHeaderException) },
            { "riff-not-wave", With(valid, 8, "AVI "u8), typeof(InvalidWavHeaderException) },
            { "rifx", With(valid, 0, "RIFX"u8), typeof(UnsupportedAudioEncodingException) },
            { "rf64", With(valid, 0, "RF64"u8), typeof(UnsupportedAudioEncodingException) },
            { "adpcm", new TestWav { FormatTag = 2, BitsPerSample = 4, BlockAlign = 256, Data = new byte[256] }.ToBytes(), typeof(UnsupportedAudioEncodingException) },
            { "mp3", new TestWav { FormatTag = 0x55, BitsPerSample = 0, BlockAlign = 1, Data = new byte[16] }.ToBytes(), typeof(UnsupportedAudioEncodingException) },
            { "pcm12", new TestWav { BitsPerSample = 12, BlockAlign = 2, Data = ValidData }.ToBytes(), typeof(UnsupportedAudioEncodingException) },
            { "float16", new TestWav { FormatTag = 3, BitsPerSample = 16, Data = ValidData }.ToBytes(), typeof(UnsupportedAudioEncodingException) },
            { "mulaw16", new TestWav { FormatTag = 7, BitsPerSample = 16, Data = ValidData }.ToBytes(), typeof(UnsupportedAudioEncodingException) },
            { "extensible-unknown-guid", With(new TestWav { Extensible = true, Data = ValidData }.ToBytes(), 46, [0xAA, 0xBB]), typeof(UnsupportedAudioEncodingException) },
            { "extensible-short", With(new TestWav { Extensible = true, Data = ValidData }.ToBytes(), 36, [10, 0]), typeof(InvalidWavHeaderException) },
            { "extensible-valid-bits-too-many", new TestWav { Extensible = true, ValidBits = 20, Data = ValidData }.ToBytes(), typeof(InvalidWavHeaderException) },
            { "zero-channels", new TestWav { Channels = 0, BlockAlign = 2, Data = ValidData }.ToBytes(), typeof(InvalidWavHeaderException) },
            { "65-channels", new TestWav { Channels = 65, Data = new byte[130] }.ToBytes(), typeof(InvalidWavHeaderException) },
            { "65535-channels", new TestWav { Channels = 65535, BlockAlign = 2, Data = ValidData }.ToBytes(), typeof(InvalidWavHeaderException) },
            { "block-align-mismatch", new TestWav { Channels = 2, BlockAlign = 2, Data = ValidData }.ToBytes(), typeof(InvalidWavHeaderException) },
            { "rate-zero", new TestWav { SampleRate = 0, Data = ValidData }.ToBytes(), typeof(UnsupportedSampleRateException) },
            { "rate-7999", new TestWav { SampleRate = 7999, Data = ValidData }.ToBytes(), typeof(UnsupportedSampleRateException) },
            { "rate-96000", new TestWav { SampleRate = 96000, Data = ValidData }.ToBytes(), typeof(UnsupportedSampleRateException) },
            { "rate-4294967295", new TestWav { SampleRate = uint.MaxValue, Data = ValidData }.ToBytes(), typeof(UnsupportedSampleRateException) },
            { "fmt-too-short", With(valid, 16, [14, 0, 0, 0]), typeof(InvalidWavHeaderException) },
            { "fmt-huge", With(valid, 16, [0xFF, 0xFF, 0xFF, 0x7F]), typeof(InvalidWavHeaderException) },
            { "no-fmt", Riff("data", ValidData), typeof(InvalidWavHeaderException) },
            { "no-data", Riff("fmt ", valid[20..36]), typeof(InvalidWavHeaderException) },
            { "only-wave", "RIFF\u0004\0\0\0WAVE"u8.ToArray(), typeof(InvalidWavHeaderException) },
            { "second-fmt", new TestWav { Data = ValidData, ChunksBeforeData = [("fmt ", valid[20..36])] }.ToBytes(), typeof(InvalidWavHeaderException) },
            { "data-size-beyond-file", new TestWav { Data = ValidData, DeclaredDataSize = 1000 }.ToBytes(), typeof(TruncatedAudioException) },
            { "data-size-overflows-int", new TestWav { Data = ValidData, DeclaredDataSize = 0xFFFFFFFE }.ToBytes(), typeof(TruncatedAudioException) },
            { "data-size-not-whole-frames", new TestWav { Data = ValidData, DeclaredDataSize = 7 }.ToBytes(), typeof(InvalidWavHeaderException) },
            { "unknown-size-ends-mid-frame", new TestWav { Data = ValidData[..7], DeclaredDataSize = 0xFFFFFFFF }.ToBytes()[..^1], typeof(TruncatedAudioException) },
            { "skipped-chunk-beyond-file", With(new TestWav { Data = ValidData, ChunksBeforeData = [("LIST", new byte[4])] }.ToBytes(), 40, [0, 0, 0, 0x80]), typeof(TruncatedAudioException) },
            { "empty-data", new TestWav { Data = [] }.ToBytes(), typeof(EmptyAudioException) },
            { "empty-data-unknown-size", new TestWav { Data = [], DeclaredDataSize = 0xFFFFFFFF }.ToBytes(), typeof(EmptyAudioException) },
            { "float32-nan", new TestWav { FormatTag = 3, BitsPerSample = 32, Data = Floats(0.5f, float.NaN) }.ToBytes(), typeof(InvalidSampleValueException) },
            { "float32-inf", new TestWav { FormatTag = 3, BitsPerSample = 32, Data = Floats(float.NegativeInfinity) }.ToBytes(), typeof(InvalidSampleValueException) },
            { "float64-inf", new TestWav { FormatTag = 3, BitsPerSample = 64, Data = BitConverter.GetBytes(double.PositiveInfinity) }.ToBytes(), typeof(InvalidSampleValueException) },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_raises_the_specific_exception_naming_the_source(string name, byte[] bytes, Type expected)
    {
        string source = $"case-{name}.wav";

        var whole = Assert.ThrowsAny<AudioException>(() => AudioFile.Read(new MemoryStream(bytes), source));
        Assert.IsType(expected, whole);
        Assert.Contains(source, whole.Message, StringComparison.Ordinal);
        Assert.Equal(source, whole.SourceName);
        Assert.Contains(whole.Problem, whole.Message, StringComparison.Ordinal);

        var decoder = new WavStreamDecoder(source);
        var output = new List<float>();
        var streamed = Assert.ThrowsAny<AudioException>(() =>
        {
            foreach (byte b in bytes)
            {
                decoder.Push([b], output);
            }

            decoder.Complete(output);
        });
        Assert.IsType(expected, streamed);
        Assert.Equal(whole.Message, streamed.Message);
    }

    [Fact]
    public void Messages_from_files_name_the_path_and_the_fix()
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgevoice-96k-{Guid.NewGuid():N}.wav");
        try
        {
            File.WriteAllBytes(path, new TestWav { SampleRate = 96000, Data = ValidData }.ToBytes());

            var error = Assert.Throws<UnsupportedSampleRateException>(() => AudioFile.Read(path));

            Assert.Equal(96000, error.SampleRate);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains("96000 Hz", error.Message, StringComparison.Ordinal);
            Assert.Contains($"sox \"{path}\" -r 16000 -b 16 -e signed-integer out.wav", error.Message, StringComparison.Ordinal);
            Assert.NotNull(error.Fix);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Unsupported_encodings_are_named_in_the_message()
    {
        var wav = new TestWav { FormatTag = 0x11, BitsPerSample = 4, BlockAlign = 256, Data = new byte[256] }.ToBytes();

        var error = Assert.Throws<UnsupportedAudioEncodingException>(() => AudioFile.Read(new MemoryStream(wav), "ima.wav"));

        Assert.Contains("IMA ADPCM", error.Message, StringComparison.Ordinal);
        Assert.Contains("sox", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_float_sample_reports_its_position()
    {
        var wav = new TestWav { FormatTag = 3, BitsPerSample = 32, Channels = 2, Data = Floats(0, 0, 0.1f, float.NaN) }.ToBytes();

        var error = Assert.Throws<InvalidSampleValueException>(() => AudioFile.Read(new MemoryStream(wav), "nan.wav"));

        Assert.Equal(1, error.FrameIndex);
        Assert.Equal(1, error.Channel);
        Assert.Contains("NaN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decoder_refuses_use_after_an_error_or_after_completion()
    {
        var failed = new WavStreamDecoder("bad.wav");
        Assert.Throws<InvalidWavHeaderException>(() => failed.Push("not a wav file"u8, []));
        Assert.Throws<InvalidOperationException>(() => failed.Push([0], []));

        var done = new WavStreamDecoder("good.wav");
        done.Push(new TestWav { Data = ValidData }.ToBytes(), []);
        done.Complete([]);
        Assert.Throws<InvalidOperationException>(() => done.Complete([]));
    }

    [Fact]
    public void Caller_mistakes_are_argument_exceptions_not_audio_exceptions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WavStreamDecoder("x.wav", targetSampleRate: 1000));
        Assert.Throws<ArgumentException>(() => new WavStreamDecoder(" "));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(16000, 96000));
        Assert.Throws<ArgumentNullException>(() => AudioFile.Read((Stream)null!, "x.wav"));
    }

    private static byte[] With(byte[] source, int offset, ReadOnlySpan<byte> patch)
    {
        var copy = source.ToArray();
        patch.CopyTo(copy.AsSpan(offset));
        return copy;
    }

    private static byte[] Riff(string id, byte[] body)
    {
        using var inner = new MemoryStream();
        inner.Write("WAVE"u8);
        TestWav.WriteChunk(inner, id, body);
        using var file = new MemoryStream();
        TestWav.WriteChunk(file, "RIFF", inner.ToArray());
        return file.ToArray();
    }

    private static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }
}
