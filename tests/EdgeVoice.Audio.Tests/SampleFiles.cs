namespace EdgeVoice.Audio.Tests;

/// <summary>
/// Small valid WAV files covering every encoding, several rates and channel counts, and header variants
/// (extensible, extra chunks, odd sizes, unknown data size). Generated in code with fixed seeds.
/// </summary>
internal static class SampleFiles
{
    public static IReadOnlyDictionary<string, byte[]> All { get; } = Build();

    private static Dictionary<string, byte[]> Build()
    {
        var files = new Dictionary<string, byte[]>();
        Add(files, "pcm8-8000-mono", SampleCodec.Pcm8, 8000, 1);
        Add(files, "pcm16-16000-mono", SampleCodec.Pcm16, 16000, 1);
        Add(files, "pcm16-44100-stereo", SampleCodec.Pcm16, 44100, 2);
        Add(files, "pcm24-48000-3ch", SampleCodec.Pcm24, 48000, 3);
        Add(files, "pcm32-22050-mono", SampleCodec.Pcm32, 22050, 1);
        Add(files, "float32-11025-stereo", SampleCodec.Float32, 11025, 2);
        Add(files, "float64-32000-mono", SampleCodec.Float64, 32000, 1);
        Add(files, "ext-pcm16-16000-stereo", SampleCodec.Pcm16, 16000, 2, extensible: true);
        Add(files, "ext-float32-48000-mono", SampleCodec.Float32, 48000, 1, extensible: true);
        Add(files, "pcm16-12000-mono-chunks", SampleCodec.Pcm16, 12000, 1, extraChunks: true);
        Add(files, "pcm16-16000-unknown-size", SampleCodec.Pcm16, 16000, 1, unknownSize: true);

        var random = new Random(11);
        var codes = new byte[151];
        random.NextBytes(codes);
        files["mulaw-8000-mono"] = new TestWav { FormatTag = 7, BitsPerSample = 8, SampleRate = 8000, Data = codes }.ToBytes();
        files["alaw-16000-mono"] = new TestWav { FormatTag = 6, BitsPerSample = 8, SampleRate = 16000, Data = codes, Extensible = true }.ToBytes();

        using var written = new MemoryStream();
        WavWriter.WriteFloat32(written, Signal(random, 221, 1).Select(v => (float)v).ToArray(), 44100);
        files["writer-float32-44100"] = written.ToArray();
        return files;
    }

    private static void Add(
        Dictionary<string, byte[]> files,
        string name,
        SampleCodec codec,
        int rate,
        int channels,
        bool extensible = false,
        bool extraChunks = false,
        bool unknownSize = false)
    {
        var random = new Random(name.Length + rate);
        int frames = (rate / 200) + random.Next(0, 30);
        var wav = new TestWav
        {
            FormatTag = codec.FormatTag,
            BitsPerSample = codec.BitsPerSample,
            SampleRate = (uint)rate,
            Channels = channels,
            Extensible = extensible,
            Data = codec.Encode(Signal(random, frames, channels)).Bytes,
            DeclaredDataSize = unknownSize ? 0xFFFFFFFF : null,
            ChunksBeforeFormat = extraChunks ? [("JUNK", new byte[5])] : [],
            ChunksBeforeData = extraChunks ? [("LIST", new byte[13]), ("fact", new byte[4])] : [],
            ChunksAfterData = extraChunks ? [("LIST", new byte[3])] : [],
        };
        files[name] = wav.ToBytes();
    }

    private static double[] Signal(Random random, int frames, int channels)
    {
        var values = new double[frames * channels];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (0.6 * Math.Sin(i * 0.07)) + (0.3 * ((random.NextDouble() * 2) - 1));
        }

        return values;
    }
}
