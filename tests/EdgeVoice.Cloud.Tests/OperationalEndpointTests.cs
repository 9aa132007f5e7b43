using System.Net.Http.Headers;
using System.Text.Json;

namespace EdgeVoice.Cloud.Tests;

public sealed class OperationalEndpointTests
{
    [Fact]
    public async Task Healthz_needs_no_key_and_names_the_engine()
    {
        await using var service = await TestService.StartAsync();
        using HttpClient anonymous = service.Server.CreateClient();
        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/healthz"));
        Assert.Equal("ok", document.RootElement.GetProperty("status").GetString());
        Assert.Equal("gated-test", document.RootElement.GetProperty("engine").GetString());
    }

    [Fact]
    public async Task Metrics_count_requests_by_route_and_status_time_them_and_count_errors()
    {
        await using var service = await TestService.StartAsync();
        var content = new ByteArrayContent(RealLattices.Offline.ToBinary());
        content.Headers.ContentType = new MediaTypeHeaderValue(LatticeMediaTypes.Binary);
        (await service.Http.PostAsync("/v1/rescore", content)).Dispose();
        (await service.Server.CreateClient().PostAsync("/v1/rescore", new ByteArrayContent([1]))).Dispose();

        using var response = await service.Http.GetAsync("/metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        string text = await response.Content.ReadAsStringAsync();
        Assert.Contains("edgevoice_http_requests_total{route=\"/v1/rescore\",method=\"POST\",status=\"200\"} 1", text);
        Assert.Contains("edgevoice_http_requests_total{route=\"/v1/rescore\",method=\"POST\",status=\"401\"} 1", text);
        Assert.Contains("edgevoice_errors_total{kind=\"unauthorized\"} 1", text);
        Assert.Contains("edgevoice_http_request_duration_seconds_bucket{route=\"/v1/rescore\",le=\"+Inf\"} 2", text);
        Assert.Contains("edgevoice_rescore_duration_seconds_count{source=\"http\"} 1", text);
        Assert.Contains("edgevoice_active_sessions 0", text);
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
        {
            Assert.Matches(@"^[a-z_]+(\{[^}]*\})? [0-9.eE+-]+$", line);
        }
    }

    [Fact]
    public async Task The_openapi_document_describes_the_endpoints()
    {
        await using var service = await TestService.StartAsync();
        using var document = JsonDocument.Parse(await service.Server.CreateClient().GetStringAsync("/openapi/v1.json"));
        JsonElement paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/rescore", out JsonElement rescore));
        Assert.True(rescore.GetProperty("post").GetProperty("responses").TryGetProperty("415", out _));
        Assert.True(paths.TryGetProperty("/v1/sessions", out _));
        Assert.True(paths.TryGetProperty("/healthz", out _));
    }
}
