namespace EdgeVoice.Audio.Tests;

public sealed class WavFormatTests
{
    public static TheoryData<string, int, bool> Matrix()
    {
        var data = new TheoryData<string, int, bool>();
        foreach (var codec in SampleCodec.All)
        {
            foreach (int channels in new[] { 1, 2, 3, 6 })
            {
                data.Add(codec.Name, channels, false);
                data.Add(codec.Name, channels, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Every_encoding_and_channel_count_decodes_to_the_channel_average(string codecName, int channels, bool extensible)
    {
        var codec = SampleCodec.ByName(codecName);
        var random = new Random(7 + channels);
        const int frames = 300;
        var values = Enumerable.Range(0, frames * channels).Select(_ => (random.NextDouble() * 1.9) - 0.95).ToArray();
        var (bytes, decoded) = codec.Encode(values);
        var wav = new TestWav
        {
            FormatTag = codec.FormatTag,
            BitsPerSample = codec.BitsPerSample,
            Channels = channels,
            Extensible = extensible,
            Data = bytes,
        }.ToBytes();

        var clip = AudioFile.Read(new MemoryStream(wav), "matrix.wav");

        Assert.Equal(16000, clip.SampleRate);
        Assert.Equal(frames, clip.Samples.Length);
        for (int f = 0; f < frames; f++)
        {
            double expected = decoded.Skip(f * channels).Take(channels).Average();
            Assert.True(Math.Abs(clip.Samples[f] - expected) < 2e-7, $"frame {f}: {clip.Samples[f]} vs {expected}");
        }
    }

    [Fact]
    public void Eight_bit_pcm_is_unsigned_with_128_as_silence()
    {
        var wav = new TestWav { BitsPerSample = 8, Data = [0, 64, 128, 192, 255] }.ToBytes();

        var clip = AudioFile.Read(new MemoryStream(wav), "u8.wav");

        Assert.Equal([-1f, -0.5f, 0f, 0.5f, 127f / 128], clip.Samples);
    }

    [Fact]
    public void Twenty_four_bit_pcm_is_sign_extended()
    {
        byte[] data = [0x00, 0x00, 0x80, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x00];
        var wav = new TestWav { BitsPerSample = 24, Data = data }.ToBytes();

        var clip = AudioFile.Read(new MemoryStream(wav), "s24.wav");

        Assert.Equal([-1f, 8388607f / 8388608, -1f / 8388608, 1f / 8388608], clip.Samples);
    }

    [Fact]
    public void Stereo_is_mixed_down_by_averaging()
    {
        var (bytes, _) = SampleCodec.Pcm16.Encode([0.5, -0.25, 1.0, 1.0, -1.0, 0.0]);
        var wav = new TestWav { Channels = 2, Data = bytes }.ToBytes();

        var clip = AudioFile.Read(new MemoryStream(wav), "stereo.wav");

        Assert.Equal([0.125f, 32767f / 32768, -0.5f], clip.Samples);
    }

    [Fact]
    public void Extensible_24_bit_samples_in_a_32_bit_container_are_read_at_full_scale()
    {
        // Valid bits sit in the high bytes of the container, so the container value is the sample.
        var (bytes, decoded) = SampleCodec.Pcm32.Encode([0.5, -0.75, 0.25]);
        var wav = new TestWav { BitsPerSample = 32, Extensible = true, ValidBits = 24, Data = bytes }.ToBytes();

        var clip = AudioFile.Read(new MemoryStream(wav), "ext24in32.wav");

        Assert.Equal(decoded.Select(d => (float)d), clip.Samples);
    }

    [Fact]
    public void Float_samples_beyond_full_scale_are_clamped()
    {
        var (bytes, _) = SampleCodec.Float32.Encode([1.5, -3.0, 0.25]);
        var wav = new TestWav { FormatTag = 3, BitsPerSample = 32, Data = bytes }.ToBytes();

        var clip = AudioFile.Read(new MemoryStream(wav), "hot.wav");

        Assert.Equal([1f, -1f, 0.25f], clip.Samples);
    }

    [Fact]
    public void Mu_law_and_a_law_expand_to_the_G711_values()
    {
        byte[] codes = [0xFF, 0x7F, 0x00, 0x80, 0xD5, 0x55, 0xAA, 0x2A];
        var mu = AudioFile.Read(new MemoryStream(new TestWav { FormatTag = 7, BitsPerSample = 8, Data = codes[..4] }.ToBytes()), "mu.wav");
        var a = AudioFile.Read(new MemoryStream(new TestWav { FormatTag = 6, BitsPerSample = 8, Data = codes[4..] }.ToBytes()), "a.wav");

        Assert.Equal(new[] { 0, 0, -32124, 32124 }.Select(v => v / 32768f), mu.Samples);
        Assert.Equal(new[] { 8, -8, 32256, -32256 }.Select(v => v / 32768f), a.Samples);
    }

    [Fact]
    public void Mu_law_and_a_law_tables_are_odd_symmetric_and_monotonic()
    {
        // Codes 0x80..0xFF are one sign, 0x00..0x7F the other; within a sign, magnitude follows the code.
        var mu = Decode(7, Enumerable.Range(0, 256).Select(i => (byte)i).ToArray());
        var a = Decode(6, Enumerable.Range(0, 256).Select(i => (byte)(i ^ 0x55)).ToArray());
        for (int i = 0; i < 128; i++)
        {
            Assert.Equal(-mu[i], mu[i + 128]);
            Assert.Equal(-a[i], a[i + 128]);
        }

        for (int i = 1; i < 128; i++)
        {
            Assert.True(mu[i] > mu[i - 1], $"mu-law code {i}");
            Assert.True(a[i] < a[i - 1], $"A-law code {i}");
        }

        static float[] Decode(ushort tag, byte[] codes) =>
            AudioFile.Read(new MemoryStream(new TestWav { FormatTag = tag, BitsPerSample = 8, Data = codes }.ToBytes()), "g711.wav").Samples;
    }

    [Fact]
    public void Unknown_chunks_with_odd_sizes_are_skipped_with_their_pad_byte()
    {
        var (bytes, decoded) = SampleCodec.Pcm16.Encode([0.1, 0.2, -0.3]);
        var plain = new TestWav { Data = bytes }.ToBytes();
        var decorated = new TestWav
        {
            Data = bytes,
            ChunksBeforeFormat = [("JUNK", new byte[3])],
            ChunksBeforeData = [("LIST", "INFOISFT\u0005\0\0\0sox!\0"u8.ToArray()), ("fact", new byte[4]), ("odd ", [1])],
            ChunksAfterData = [("LIST", new byte[7]), ("id3 ", new byte[10])],
        }.ToBytes();

        var expected = AudioFile.Read(new MemoryStream(plain), "plain.wav").Samples;
        var actual = AudioFile.Read(new MemoryStream(decorated), "decorated.wav").Samples;

        Assert.Equal(decoded.Select(d => (float)d), expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Odd_length_eight_bit_data_chunk_with_pad_byte_reads_every_sample()
    {
        var wav = new TestWav { BitsPerSample = 8, Data = [128, 255, 0], ChunksAfterData = [("LIST", new byte[4])] }.ToBytes();

        var clip = AudioFile.Read(new MemoryStream(wav), "odd8.wav");

        Assert.Equal([0f, 127f / 128, -1f], clip.Samples);
    }

    [Fact]
    public void Data_size_0xFFFFFFFF_means_read_to_the_end_of_the_stream()
    {
        var (bytes, decoded) = SampleCodec.Pcm16.Encode([0.1, 0.2, -0.3, 0.4]);
        var wav = new TestWav { Data = bytes, DeclaredDataSize = 0xFFFFFFFF }.ToBytes();

        var clip = AudioFile.Read(new MemoryStream(wav), "streamed.wav");

        Assert.Equal(decoded.Select(d => (float)d), clip.Samples);
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(11025)]
    [InlineData(22050)]
    [InlineData(32000)]
    [InlineData(44100)]
    [InlineData(48000)]
    public void Other_rates_are_resampled_to_16_kHz_with_the_exact_output_length(int rate)
    {
        int frames = rate / 10;
        var values = Enumerable.Range(0, frames).Select(i => 0.5 * Math.Sin(2 * Math.PI * 440 * i / rate)).ToArray();
        var wav = new TestWav { SampleRate = (uint)rate, Data = SampleCodec.Pcm16.Encode(values).Bytes }.ToBytes();

        var clip = AudioFile.Read(new MemoryStream(wav), "rate.wav");

        Assert.Equal(16000, clip.SampleRate);
        Assert.Equal(1600, clip.Samples.Length);
        Assert.Equal(TimeSpan.FromMilliseconds(100), clip.Duration);
        double peak = clip.Samples.Skip(100).Take(1400).Max(s => Math.Abs(s));
        Assert.InRange(peak, 0.49, 0.51);
    }

    [Fact]
    public void Target_rate_can_be_chosen()
    {
        var values = new double[4410];
        var wav = new TestWav { SampleRate = 44100, Data = SampleCodec.Pcm16.Encode(values).Bytes }.ToBytes();

        var clip = AudioFile.Read(new MemoryStream(wav), "target.wav", targetSampleRate: 8000);

        Assert.Equal(8000, clip.SampleRate);
        Assert.Equal(800, clip.Samples.Length);
    }

    [Fact]
    public void Reading_from_a_path_matches_reading_the_stream()
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgevoice-audio-{Guid.NewGuid():N}.wav");
        try
        {
            var samples = Enumerable.Range(0, 1000).Select(i => (float)Math.Sin(i * 0.05) * 0.3f).ToArray();
            WavWriter.WritePcm16(path, new AudioClip(samples, 22050));

            var fromPath = AudioFile.Read(path);
            var fromStream = AudioFile.Read(new MemoryStream(File.ReadAllBytes(path)), "x.wav");

            Assert.Equal(fromStream.Samples, fromPath.Samples);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
