using System.Text.Json;
using EdgeVoice.Asr;
using EdgeVoice.Cloud.Client;
using EdgeVoice.Cloud.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeVoice.Cloud.Tests;

public sealed class SessionTests
{
    private static readonly byte[] Lattice = RealLattices.Offline.ToBinary();

    [Fact]
    public async Task A_final_equal_to_the_speculative_lattice_reuses_its_work()
    {
        var engine = new GatedEngine();
        await using var service = await TestService.StartAsync(engine);
        using var session = await RawSession.OpenAsync(service);
        JsonElement hello = await session.ReceiveAsync();
        Assert.Equal("session", hello.GetProperty("type").GetString());
        Assert.False(hello.GetProperty("resumed").GetBoolean());

        await session.SendBinaryAsync(RawSession.Frame(1, 7, Lattice));
        JsonElement speculative = await session.ReceiveUntilAsync("speculative_result");
        Assert.Equal(7u, speculative.GetProperty("utterance").GetUInt32());
        await session.SendBinaryAsync(RawSession.Frame(2, 7, Lattice));
        JsonElement result = await session.ReceiveUntilAsync("result");
        Assert.Equal(7u, result.GetProperty("utterance").GetUInt32());
        Assert.Equal(1, result.GetProperty("id").GetInt64());
        Assert.Equal(RealLattices.Offline.BestPaths(1, 0)[0].Text, result.GetProperty("nbest")[0].GetProperty("text").GetString());
        Assert.Equal(1, engine.Calls);
    }

    [Fact]
    public async Task A_reset_cancels_the_speculative_work_and_the_final_lattice_is_rescored_afresh()
    {
        var engine = new GatedEngine { Gate = new SemaphoreSlim(0) };
        await using var service = await TestService.StartAsync(engine);
        using var session = await RawSession.OpenAsync(service);
        await session.ReceiveAsync();
        await session.SendBinaryAsync(RawSession.Frame(1, 3, Lattice));
        Assert.True(await engine.Started.WaitAsync(TimeSpan.FromSeconds(20)));
        await session.SendTextAsync("{\"type\":\"reset\",\"utterance\":3}");
        for (int i = 0; i < 200 && engine.Cancelled == 0; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, engine.Cancelled);
        engine.Gate = null;
        await session.SendTextAsync($"{{\"type\":\"final\",\"utterance\":3,\"nbest\":2,\"lattice\":{RealLattices.Offline.ToJson()}}}");
        JsonElement result = await session.ReceiveUntilAsync("result");
        Assert.Equal(3u, result.GetProperty("utterance").GetUInt32());
        Assert.Equal(2, result.GetProperty("nbest").GetArrayLength());
        Assert.Equal(2, engine.Calls);
    }

    [Fact]
    public async Task Bad_messages_are_answered_with_errors_and_the_session_goes_on()
    {
        await using var service = await TestService.StartAsync();
        using var session = await RawSession.OpenAsync(service);
        await session.ReceiveAsync();
        string[] texts = ["not json", "[]", "{\"type\":\"dance\"}", "{\"type\":\"reset\"}", "{\"type\":\"final\",\"utterance\":1}", "{\"type\":\"ack\",\"id\":-4}"];
        foreach (string text in texts)
        {
            await session.SendTextAsync(text);
            JsonElement error = await session.ReceiveAsync();
            Assert.Equal("error", error.GetProperty("type").GetString());
            Assert.Equal(400, error.GetProperty("status").GetInt32());
        }

        await session.SendBinaryAsync([9, 9]);
        Assert.Equal(400, (await session.ReceiveAsync()).GetProperty("status").GetInt32());
        await session.SendBinaryAsync(RawSession.Frame(1, 5, Lattice[..20]));
        JsonElement malformed = await session.ReceiveAsync();
        Assert.Equal(422, malformed.GetProperty("status").GetInt32());
        Assert.Equal(5u, malformed.GetProperty("utterance").GetUInt32());

        await session.SendBinaryAsync(RawSession.Frame(2, 6, [1, 2, 3]));
        JsonElement finalError = await session.ReceiveAsync();
        Assert.Equal("error", finalError.GetProperty("type").GetString());
        Assert.Equal(1, finalError.GetProperty("id").GetInt64());

        await session.SendBinaryAsync(RawSession.Frame(2, 8, Lattice));
        JsonElement result = await session.ReceiveUntilAsync("result");
        Assert.Equal(2, result.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task A_result_finished_while_the_device_was_away_is_delivered_when_it_resumes()
    {
        var engine = new GatedEngine { Gate = new SemaphoreSlim(0) };
        await using var service = await TestService.StartAsync(engine);
        var store = service.App.Services.GetRequiredService<SessionStore>();
        string id;
        using (var first = await RawSession.OpenAsync(service))
        {
            id = (await first.ReceiveAsync()).GetProperty("session").GetString()!;
            await first.SendBinaryAsync(RawSession.Frame(2, 11, Lattice));
            Assert.True(await engine.Started.WaitAsync(TimeSpan.FromSeconds(20)));
            first.Socket.Abort();
        }

        DeviceSession held = store.Find(id, "device")!;
        for (int i = 0; i < 500 && held.IsAttached; i++)
        {
            await Task.Delay(10);
        }

        Assert.False(held.IsAttached);
        engine.Gate.Release();
        for (int i = 0; i < 500 && held.RetainedCount == 0; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, held.RetainedCount);
        using var second = await RawSession.OpenAsync(service, $"?resume={id}&last=0");
        JsonElement hello = await second.ReceiveAsync();
        Assert.True(hello.GetProperty("resumed").GetBoolean());
        JsonElement result = await second.ReceiveAsync();
        Assert.Equal("result", result.GetProperty("type").GetString());
        Assert.Equal(11u, result.GetProperty("utterance").GetUInt32());

        await second.SendTextAsync("{\"type\":\"ack\",\"id\":1}");
        for (int i = 0; i < 500 && held.RetainedCount > 0; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(0, held.RetainedCount);
    }

    [Fact]
    public async Task Only_the_key_that_opened_a_session_can_resume_it()
    {
        await using var service = await TestService.StartAsync();
        using var first = await RawSession.OpenAsync(service);
        string id = (await first.ReceiveAsync()).GetProperty("session").GetString()!;
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => RawSession.OpenAsync(service, $"?resume={id}", TestService.OtherKey));
        Assert.Contains("404", refused.Message);
        await Assert.ThrowsAnyAsync<Exception>(() => RawSession.OpenAsync(service, "", "evk_wrong"));
    }

    [Fact]
    public async Task The_client_gets_its_result_after_the_connection_drops_mid_rescoring()
    {
        var engine = new GatedEngine { Gate = new SemaphoreSlim(0) };
        await using var service = await TestService.StartAsync(engine);
        await using CloudSession session = await CloudSession.ConnectAsync(service.ClientOptions());
        string id = session.SessionId;
        Task<CloudRescoringResult> pending = session.SendFinalAsync(1, RealLattices.Offline);
        Assert.True(await engine.Started.WaitAsync(TimeSpan.FromSeconds(20)));
        session.DropConnection();
        await Task.Delay(100);
        engine.Gate.Release();
        CloudRescoringResult result = await pending;
        Assert.Equal(RealLattices.Offline.BestPaths(1, 0)[0].Text, result.Text);
        Assert.True(session.Reconnects >= 1);
        Assert.Equal(id, session.SessionId);
        Assert.Equal(1, engine.Calls);
    }

    [Fact]
    public async Task A_final_sent_while_the_connection_is_down_is_resent_after_the_reconnect()
    {
        await using var service = await TestService.StartAsync();
        await using CloudSession session = await CloudSession.ConnectAsync(service.ClientOptions());
        session.DropConnection();
        CloudRescoringResult result = await session.SendFinalAsync(2, RealLattices.Offline);
        Assert.Equal(RealLattices.Offline.BestPaths(1, 0)[0].Text, result.Text);
        CloudRescoringResult next = await session.SendFinalAsync(3, RealLattices.Offline);
        Assert.Equal(result.Text, next.Text);
    }

    [Fact]
    public async Task The_client_streams_the_recognizer_end_point_events_and_gets_each_final_result()
    {
        await using var service = await TestService.StartAsync();
        await using CloudSession session = await CloudSession.ConnectAsync(service.ClientOptions());
        var finals = new List<CloudRescoringResult>();
        foreach (var e in RealLattices.Events)
        {
            if (await session.SendEndpointEventAsync(e) is { } result)
            {
                finals.Add(result);
            }
        }

        Assert.NotEmpty(finals);
        Assert.Equal(RealLattices.Events.Count(e => e.Kind == Asr.Endpointing.EndpointEventKind.FinalEndpoint), finals.Count);
        Assert.All(finals, f => Assert.NotEmpty(f.NBest));
    }

    [Fact]
    public async Task A_long_session_keeps_no_speculative_result_of_a_finished_or_reset_utterance()
    {
        // The 10-minute load run found the client holding every speculative result it ever got (its heap grew ~1.3 KB
        // per utterance); finished and reset utterances must leave nothing behind.
        await using var service = await TestService.StartAsync();
        await using CloudSession session = await CloudSession.ConnectAsync(service.ClientOptions());
        for (int u = 1; u <= 30; u++)
        {
            await session.SendSpeculativeAsync(u, RealLattices.Offline);
            for (int i = 0; i < 3000 && !session.TryGetSpeculativeResult(u, out _); i++)
            {
                await Task.Delay(10);
            }

            Assert.True(session.TryGetSpeculativeResult(u, out CloudRescoringResult? speculative));
            Assert.NotEmpty(speculative!.NBest);
            if (u % 3 == 0)
            {
                await session.SendResetAsync(u);
                Assert.False(session.TryGetSpeculativeResult(u, out _));
            }

            await session.SendFinalAsync(u, RealLattices.Offline);
            Assert.False(session.TryGetSpeculativeResult(u, out _));
        }

        Assert.Equal(0, session.SpeculativeResultsHeld);
    }

    [Fact]
    public async Task A_bad_key_cannot_open_a_session_or_rescore()
    {
        await using var service = await TestService.StartAsync();
        var refused = await Assert.ThrowsAsync<CloudServiceException>(() => CloudSession.ConnectAsync(service.ClientOptions("evk_bad")));
        Assert.Equal(401, refused.Status);
        using var http = new CloudRescoringClient(service.ClientOptions("evk_bad"));
        var problem = await Assert.ThrowsAsync<CloudServiceException>(() => http.RescoreAsync(RealLattices.Offline));
        Assert.Equal(401, problem.Status);
        Assert.Equal("unauthorized", problem.Problem);
    }

    [Fact]
    public async Task The_http_client_returns_the_nbest_and_names_a_refusal()
    {
        await using var service = await TestService.StartAsync();
        using var client = new CloudRescoringClient(service.ClientOptions());
        CloudRescoringResult result = await client.RescoreAsync(RealLattices.Offline, nbest: 2);
        Assert.Equal(RealLattices.Offline.BestPaths(1, 0)[0].Text, result.Text);
        Assert.True(result.NBest.Count <= 2);
        Assert.Equal("gated-test", result.Engine);
        var tooMany = await Assert.ThrowsAsync<CloudServiceException>(() => client.RescoreAsync(RealLattices.Offline, nbest: 99));
        Assert.Equal(400, tooMany.Status);
        Assert.Equal("bad-nbest", tooMany.Problem);
    }

    [Fact]
    public async Task A_session_message_over_the_size_limit_is_refused_and_the_session_goes_on()
    {
        await using var service = await TestService.StartAsync(options: new RescoringServiceOptions { Port = 0, MaxRequestBytes = 2048 });
        using var session = await RawSession.OpenAsync(service);
        await session.ReceiveAsync();
        await session.SendBinaryAsync(RawSession.Frame(2, 1, new byte[5000]));
        Assert.Equal(413, (await session.ReceiveAsync()).GetProperty("status").GetInt32());
        await session.SendBinaryAsync(RawSession.Frame(2, 2, Lattice));
        Assert.Equal(2u, (await session.ReceiveUntilAsync("result")).GetProperty("utterance").GetUInt32());
    }

    [Fact]
    public async Task Sessions_are_counted_in_the_metrics()
    {
        await using var service = await TestService.StartAsync();
        using var session = await RawSession.OpenAsync(service);
        await session.ReceiveAsync();
        string metrics = await service.Http.GetStringAsync("/metrics");
        Assert.Contains("edgevoice_active_sessions 1", metrics);
        Assert.Contains("edgevoice_sessions 1", metrics);
        _ = WordLattice.FromBinary(Lattice);
    }
}
