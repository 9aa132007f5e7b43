using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EdgeVoice.Asr;

namespace EdgeVoice.Cloud.Tests;

public sealed class RescoreEndpointTests
{
    private static ByteArrayContent Binary(byte[] bytes, string type = LatticeMediaTypes.Binary)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        return content;
    }

    [Fact]
    public async Task A_binary_lattice_comes_back_as_the_device_nbest_ranked_by_the_engine()
    {
        await using var service = await TestService.StartAsync();
        WordLattice lattice = RealLattices.Offline;
        using var response = await service.Http.PostAsync("/v1/rescore?nbest=3", Binary(lattice.ToBinary()));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var json = JsonDocument.Parse(body);
        var nbest = json.RootElement.GetProperty("nbest").EnumerateArray().ToArray();
        var expected = WordLattice.FromBinary(lattice.ToBinary()).BestPaths(3, 0);
        Assert.Equal(expected.Count, nbest.Length);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Text, nbest[i].GetProperty("text").GetString());
            Assert.Equal(i + 1, nbest[i].GetProperty("rank").GetInt32());
            Assert.Equal(expected[i].AcousticScore, nbest[i].GetProperty("acoustic").GetDouble(), 4);
        }

        Assert.Equal("kitchen-lights", json.RootElement.GetProperty("utterance").GetString());
        Assert.Equal("gated-test", json.RootElement.GetProperty("engine").GetString());
    }

    [Fact]
    public async Task A_json_lattice_gives_the_same_answer_as_the_binary_one()
    {
        await using var service = await TestService.StartAsync();
        WordLattice lattice = RealLattices.Offline;
        using var fromJson = await service.Http.PostAsync("/v1/rescore", new StringContent(lattice.ToJson(), Encoding.UTF8, "application/json"));
        using var fromBinary = await service.Http.PostAsync("/v1/rescore", Binary(lattice.ToBinary(LatticeScoreEncoding.Float32)));
        Assert.True(fromJson.IsSuccessStatusCode);
        using var a = JsonDocument.Parse(await fromJson.Content.ReadAsStringAsync());
        using var b = JsonDocument.Parse(await fromBinary.Content.ReadAsStringAsync());
        Assert.Equal(
            a.RootElement.GetProperty("nbest").EnumerateArray().Select(h => h.GetProperty("text").GetString()),
            b.RootElement.GetProperty("nbest").EnumerateArray().Select(h => h.GetProperty("text").GetString()));
        Assert.Equal(RescoringServiceOptions.Default.DefaultNBest >= lattice.BestPaths(50).Count ? lattice.BestPaths(50).Count : RescoringServiceOptions.Default.DefaultNBest,
            a.RootElement.GetProperty("nbest").GetArrayLength());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-a-key")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Without_a_valid_key_the_answer_is_401(string? authorization)
    {
        await using var service = await TestService.StartAsync();
        using HttpClient anonymous = service.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/rescore") { Content = Binary(RealLattices.Offline.ToBinary()) };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await anonymous.SendAsync(request);
        await ProblemAssert.IsProblemAsync(response, 401, "unauthorized");
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(0, ((GatedEngine)service.Engine).Calls);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("audio/wav")]
    [InlineData("application/xml")]
    [InlineData("not a media type")]
    public async Task Another_content_type_is_415(string type)
    {
        await using var service = await TestService.StartAsync();
        var content = new ByteArrayContent(RealLattices.Offline.ToBinary());
        content.Headers.TryAddWithoutValidation("Content-Type", type);
        using var response = await service.Http.PostAsync("/v1/rescore", content);
        await ProblemAssert.IsProblemAsync(response, 415, "unsupported-media-type");
        Assert.Contains(LatticeMediaTypes.Binary, string.Join(",", response.Headers.GetValues("Accept-Post")));
    }

    [Fact]
    public async Task A_body_without_content_type_is_415()
    {
        await using var service = await TestService.StartAsync();
        var content = new ByteArrayContent(RealLattices.Offline.ToBinary());
        content.Headers.ContentType = null;
        using var response = await service.Http.PostAsync("/v1/rescore", content);
        await ProblemAssert.IsProblemAsync(response, 415, "unsupported-media-type");
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_whether_or_not_its_length_is_declared()
    {
        await using var service = await TestService.StartAsync(options: new RescoringServiceOptions { Port = 0, MaxRequestBytes = 4096 });
        var big = new byte[5000];
        using var declared = await service.Http.PostAsync("/v1/rescore", Binary(big));
        await ProblemAssert.IsProblemAsync(declared, 413, "too-large");

        var chunked = new StreamContent(new MemoryStream(big));
        chunked.Headers.ContentType = new MediaTypeHeaderValue(LatticeMediaTypes.Binary);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/rescore") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var undeclared = await service.Http.SendAsync(request);
        await ProblemAssert.IsProblemAsync(undeclared, 413, "too-large");
    }

    [Fact]
    public async Task Every_truncation_of_a_real_lattice_is_a_4xx_problem()
    {
        // one request per truncation: the lattice's length (which follows the committed model) must not meet the rate limit
        await using var service = await TestService.StartAsync(options: new RescoringServiceOptions { Port = 0, RateLimitBurst = 1_000_000, RateLimitPerSecond = 1_000_000 });
        byte[] binary = RealLattices.Offline.ToBinary();
        byte[] json = Encoding.UTF8.GetBytes(RealLattices.Offline.ToJson());
        for (int length = 0; length < binary.Length; length++)
        {
            using var response = await service.Http.PostAsync("/v1/rescore", Binary(binary[..length]));
            await ProblemAssert.IsProblemAsync(response, 422, "malformed-lattice");
        }

        for (int length = 0; length < json.Length; length += 7)
        {
            using var response = await service.Http.PostAsync("/v1/rescore", Binary(json[..length], "application/json"));
            string detail = await ProblemAssert.IsProblemAsync(response, 422, "malformed-lattice");
            Assert.NotEmpty(detail);
        }
    }

    [Fact]
    public async Task A_malformed_lattice_names_the_problem()
    {
        await using var service = await TestService.StartAsync();
        byte[] binary = RealLattices.Offline.ToBinary();
        binary[^1] ^= 0xFF;
        using var crc = await service.Http.PostAsync("/v1/rescore", Binary(binary));
        Assert.Contains("CRC", await ProblemAssert.IsProblemAsync(crc, 422, "malformed-lattice"));

        using var notJson = await service.Http.PostAsync("/v1/rescore", Binary("{\"format\":"u8.ToArray(), "application/json"));
        Assert.Contains("JSON", await ProblemAssert.IsProblemAsync(notJson, 422, "malformed-lattice"));

        using var huge = await service.Http.PostAsync("/v1/rescore", Binary(Encoding.UTF8.GetBytes(
            "{\"format\":\"edgevoice-lattice\",\"version\":1,\"utterance\":\"x\",\"frame_duration\":0.04,\"nodes\":9000000,\"final\":[{\"node\":0,\"weight\":0}],\"arcs\":[]}"),
            "application/json"));
        // the decoder refuses a node count the arcs cannot reach before it allocates anything for it
        Assert.Contains("9000000 nodes", await ProblemAssert.IsProblemAsync(huge, 422, "malformed-lattice"));

        using var infinite = await service.Http.PostAsync("/v1/rescore", Binary(Encoding.UTF8.GetBytes(
            "{\"format\":\"edgevoice-lattice\",\"version\":1,\"utterance\":\"x\",\"frame_duration\":0.04,\"nodes\":1,\"final\":[{\"node\":0,\"weight\":1e300}],\"arcs\":[]}"),
            "application/json"));
        Assert.Contains("infinite", await ProblemAssert.IsProblemAsync(infinite, 422, "malformed-lattice"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("51")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1e3")]
    public async Task A_bad_nbest_is_400(string nbest)
    {
        await using var service = await TestService.StartAsync();
        using var response = await service.Http.PostAsync("/v1/rescore?nbest=" + nbest, Binary(RealLattices.Offline.ToBinary()));
        await ProblemAssert.IsProblemAsync(response, 400, "bad-nbest");
    }

    [Fact]
    public async Task An_engine_that_rejects_the_lattice_gives_422_and_one_that_crashes_gives_a_logged_500()
    {
        var engine = new GatedEngine { Failure = new ArgumentException("word not in vocabulary") };
        await using var service = await TestService.StartAsync(engine);
        using var rejected = await service.Http.PostAsync("/v1/rescore", Binary(RealLattices.Offline.ToBinary()));
        Assert.Contains("vocabulary", await ProblemAssert.IsProblemAsync(rejected, 422, "unscorable-lattice"));

        engine.Failure = new InvalidOperationException("bug");
        using var crashed = await service.Http.PostAsync("/v1/rescore", Binary(RealLattices.Offline.ToBinary()));
        await ProblemAssert.IsProblemAsync(crashed, 500, "rescoring-failed");
    }

    [Fact]
    public async Task A_key_over_its_rate_limit_gets_429_with_retry_after_and_other_keys_are_served()
    {
        await using var service = await TestService.StartAsync(options: new RescoringServiceOptions { Port = 0, RateLimitBurst = 3, RateLimitPerSecond = 1 });
        byte[] lattice = RealLattices.Offline.ToBinary();
        var statuses = new List<int>();
        for (int i = 0; i < 6; i++)
        {
            using var response = await service.Http.PostAsync("/v1/rescore", Binary(lattice));
            statuses.Add((int)response.StatusCode);
            if ((int)response.StatusCode == 429)
            {
                await ProblemAssert.IsProblemAsync(response, 429, "rate-limited");
                Assert.True(response.Headers.RetryAfter is not null);
            }
        }

        Assert.Equal([200, 200, 200], statuses.Take(3));
        Assert.Contains(429, statuses);
        using var other = service.Server.CreateClient();
        other.DefaultRequestHeaders.Add("X-Api-Key", TestService.OtherKey);
        using var served = await other.PostAsync("/v1/rescore", Binary(lattice));
        Assert.Equal(200, (int)served.StatusCode);
    }

    [Fact]
    public async Task Unknown_routes_and_methods_are_problem_documents()
    {
        await using var service = await TestService.StartAsync();
        using var missing = await service.Http.GetAsync("/v1/nothing");
        await ProblemAssert.IsProblemAsync(missing, 404, "not-found");
        using var wrongMethod = await service.Http.GetAsync("/v1/rescore");
        await ProblemAssert.IsProblemAsync(wrongMethod, 405, "method-not-allowed");
        using var notWebSocket = await service.Http.GetAsync("/v1/sessions");
        await ProblemAssert.IsProblemAsync(notWebSocket, 400, "websocket-required");
    }
}
