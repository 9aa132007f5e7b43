using EdgeVoice.Asr.Endpointing;
using EdgeVoice.Cloud.Client;
using Xunit.Abstractions;

namespace EdgeVoice.Cloud.Tests;

public sealed class NoAudioOnTheWireTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Only_lattices_cross_the_loopback_link_and_they_are_a_few_percent_of_the_audio()
    {
        float[] samples = RealLattices.Samples16k;
        var keys = ApiKeyStore.FromKeys([("device", TestService.Key)]);
        await using var app = RescoringService.Create(new RescoringServiceOptions { Port = 0 }, new GatedEngine(), keys);
        await app.StartAsync();
        await using var relay = new RecordingTcpRelay(RescoringService.ListeningAddress(app));
        var options = new CloudClientOptions { BaseAddress = relay.Address, ApiKey = TestService.Key };

        using (var http = new CloudRescoringClient(options))
        {
            Assert.NotEmpty((await http.RescoreAsync(RealLattices.Offline)).Text);
        }

        long sessionBytes;
        await using (CloudSession session = await CloudSession.ConnectAsync(options))
        {
            foreach (EndpointEvent e in RealLattices.Events)
            {
                await session.SendEndpointEventAsync(e);
            }

            sessionBytes = session.BytesSent;
        }

        await Task.Delay(200);
        byte[] upstream = relay.Upstream();
        Assert.NotEmpty(relay.Downstream());

        byte[] pcm16 = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++)
        {
            BitConverter.TryWriteBytes(pcm16.AsSpan(2 * i), (short)Math.Clamp(MathF.Round(samples[i] * 32767f), -32768, 32767));
        }

        byte[] float32 = new byte[samples.Length * 4];
        Buffer.BlockCopy(samples, 0, float32, 0, float32.Length);
        Assert.Equal(0, SharedWindows(pcm16, upstream, 16));
        Assert.Equal(0, SharedWindows(float32, upstream, 16));

        int lattice = RealLattices.Offline.ToBinary().Length;
        double percent = 100.0 * upstream.Length / pcm16.Length;
        output.WriteLine($"audio {samples.Length / 16000.0:F2} s = {pcm16.Length} B of 16-bit PCM; binary lattice {lattice} B ({100.0 * lattice / pcm16.Length:F2}%); " +
            $"session messages {sessionBytes} B for {RealLattices.Events.Count} end-point events; all bytes sent on the wire (HTTP request + WebSocket session, headers included) {upstream.Length} B ({percent:F2}%)");
        Assert.True(lattice <= 0.05 * pcm16.Length, $"lattice {lattice} B vs PCM {pcm16.Length} B");
        Assert.True(upstream.Length <= 0.05 * pcm16.Length, $"wire {upstream.Length} B vs PCM {pcm16.Length} B");
        await app.StopAsync();
    }

    [Fact]
    public void Nothing_in_the_client_api_takes_audio()
    {
        var audioTypes = new[] { typeof(float[]), typeof(short[]), typeof(byte[]), typeof(Stream), typeof(ReadOnlySpan<float>), typeof(ReadOnlyMemory<byte>),
            typeof(ReadOnlySpan<byte>), typeof(ReadOnlyMemory<float>), typeof(Memory<byte>), typeof(Span<byte>), typeof(Audio.AudioClip), typeof(ArraySegment<byte>) };
        var publicMethods = typeof(CloudSession).Assembly.GetExportedTypes()
            .SelectMany(t => t.GetMethods().Concat<System.Reflection.MethodBase>(t.GetConstructors()))
            .Where(m => m.DeclaringType!.Assembly == typeof(CloudSession).Assembly);
        foreach (var method in publicMethods)
        {
            foreach (var parameter in method.GetParameters())
            {
                Assert.False(audioTypes.Contains(parameter.ParameterType), $"{method.DeclaringType!.Name}.{method.Name} takes {parameter.ParameterType.Name}");
            }
        }
    }

    /// <summary>How many windows of <paramref name="width"/> bytes of the audio that carry signal (not near silence) occur in <paramref name="captured"/>.</summary>
    private static int SharedWindows(byte[] audio, byte[] captured, int width)
    {
        var windows = new HashSet<(ulong, ulong)>();
        for (int i = 0; i + width <= audio.Length; i++)
        {
            ReadOnlySpan<byte> w = audio.AsSpan(i, width);
            if (w.ToArray().Distinct().Count() >= 6)
            {
                windows.Add((BitConverter.ToUInt64(w), BitConverter.ToUInt64(w[8..])));
            }
        }

        Assert.True(windows.Count > audio.Length / 4, "the audio has too little signal for the check to mean anything");
        int shared = 0;
        for (int i = 0; i + width <= captured.Length; i++)
        {
            ReadOnlySpan<byte> w = captured.AsSpan(i, width);
            if (windows.Contains((BitConverter.ToUInt64(w), BitConverter.ToUInt64(w[8..]))))
            {
                shared++;
            }
        }

        return shared;
    }
}
