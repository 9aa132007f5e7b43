using System.Runtime.CompilerServices;
namespace EdgeVoice.Features;

/// <summary>
/// Seeded standard-normal noise for dithering: SplitMix64 feeding the Box-Muller transform.
/// Its own generator (not System.Random) so the sequence never changes between .NET versions.
/// </summary>
internal sealed class DitherNoise
{
    private ulong _state;
    private double _spare;
    private bool _hasSpare;

    public DitherNoise(int seed)
    {
        _state = 0x9E3779B97F4A7C15UL ^ (ulong)(uint)seed;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddTo(Span<float> samples, float scale)
    {
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] += scale * (float)NextGaussian();
        }
    }

    private double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        double u1 = (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);
        double u2 = (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);
        double radius = Math.Sqrt(-2.0 * Math.Log(1.0 - u1));
        double angle = 2.0 * Math.PI * u2;
        _spare = radius * Math.Sin(angle);
        _hasSpare = true;
        return radius * Math.Cos(angle);
    }

    private ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
