using BenchmarkDotNet.Attributes;
using EdgeVoice.Features;

namespace EdgeVoice.Benchmarks;

/// <summary>
/// Single-thread filterbank throughput on 60 s of 16 kHz audio (seeded noise plus a sweep), EdgeVoice defaults.
/// Run: <c>dotnet run --project bench/EdgeVoice.Benchmarks -c Release -- --filter *FbankBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
public class FbankBenchmarks
{
    private float[] _audio = [];
    private OnlineFbank _stream = null!;
    private float[] _drain = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1234);
        _audio = new float[16000 * 60];
        for (int i = 0; i < _audio.Length; i++)
        {
            double t = i / 16000.0;
            _audio[i] = (float)((0.3 * Math.Sin(2 * Math.PI * (200 + (50 * t)) * t)) + (0.05 * ((2 * random.NextDouble()) - 1)));
        }

        _drain = new float[80 * 16];
    }

    /// <summary>Whole utterance at once.</summary>
    [Benchmark(Baseline = true)]
    public int OneShot60s() => Fbank.Compute(_audio, FbankOptions.Default).NumFrames;

    /// <summary>Streaming in 10 ms chunks, draining frames as they come.</summary>
    [Benchmark]
    public int Streaming10msChunks60s()
    {
        _stream = new OnlineFbank(FbankOptions.Default);
        int frames = 0;
        for (int i = 0; i < _audio.Length; i += 160)
        {
            _stream.AcceptWaveform(_audio.AsSpan(i, 160));
            frames += _stream.ReadFrames(_drain);
        }

        _stream.InputFinished();
        return frames + _stream.ReadFrames(_drain);
    }
}
