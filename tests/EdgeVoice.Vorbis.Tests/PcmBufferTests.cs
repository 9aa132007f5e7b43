namespace EdgeVoice.Vorbis.Tests;

public sealed class PcmBufferTests
{
    [Fact]
    public void OutputIsClampedAndNaNBecomesZero()
    {
        var buffer = new VorbisPcmBuffer(channels: 2, expectedFrames: 0);
        Span<float> frames = buffer.Append(3);
        float[] values = [0.5f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1.5f, -0.25f];
        values.CopyTo(frames);
        Assert.Equal([0.5f, 0f, 1f, -1f, 1f, -0.25f], buffer.ToClampedArray(0, 3));
    }

    [Fact]
    public void GrowsAndTrims()
    {
        var buffer = new VorbisPcmBuffer(channels: 1, expectedFrames: 0);
        for (int i = 0; i < 1000; i++)
        {
            buffer.Append(100).Fill(i / 1000f);
        }

        Assert.Equal(100_000, buffer.Frames);
        buffer.TrimEnd(50);
        Assert.Equal(99_950, buffer.Frames);
        float[] tail = buffer.ToClampedArray(99_900, 50);
        Assert.All(tail, x => Assert.Equal(0.999f, x));
    }
}
