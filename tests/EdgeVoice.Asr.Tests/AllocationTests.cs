namespace EdgeVoice.Asr.Tests;

public sealed class AllocationTests
{
    [Fact]
    public void Steady_state_greedy_streaming_allocates_nothing_per_chunk()
    {
        var recognizer = new Recognizer(TransducerModel.Load(TinyModel.File), new RecognizerOptions());
        using var stream = recognizer.CreateStream();
        float[] signal = TinyModel.Signal(seconds: 30);
        const int chunk = 1600;
        int position = 0;
        for (int i = 0; i < 30; i++, position += chunk)
        {
            stream.AcceptAudio(signal.AsSpan(position, chunk), 16000);
        }

        int framesBefore = stream.FramesDecoded;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++, position += chunk)
        {
            stream.AcceptAudio(signal.AsSpan(position, chunk), 16000);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(stream.FramesDecoded - framesBefore >= 490, $"decoded {stream.FramesDecoded - framesBefore} frames");
        Assert.Equal(0, allocated);
    }
}
