using System.Net.Http.Headers;
using System.Text.Json;
using EdgeVoice.Cloud.Tests.Fuzzing;

namespace EdgeVoice.Cloud.Tests;

public sealed class FuzzTests
{
    /// <summary>Seeded and small enough for CI; bench/cloud runs 100,000 and more cases with the same mutator.</summary>
    private const int Cases = 5000;

    [Fact]
    public async Task Mutated_real_lattices_get_200_or_a_4xx_problem_and_the_service_keeps_serving()
    {
        await using var service = await TestService.StartAsync(options: new RescoringServiceOptions { Port = 0, RateLimitBurst = 1_000_000, RateLimitPerSecond = 1_000_000 });
        var mutator = new LatticeMutator(RealLattices.Offline.ToBinary(), RealLattices.Offline.ToJson(), seed: 20261122);
        var counts = new SortedDictionary<int, int>();
        for (int i = 0; i < Cases; i++)
        {
            var (body, type) = mutator.Next(i);
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue(type);
            using var response = await service.Http.PostAsync("/v1/rescore?nbest=4", content);
            int status = (int)response.StatusCode;
            counts[status] = counts.GetValueOrDefault(status) + 1;
            string text = await response.Content.ReadAsStringAsync();
            if (status == 200)
            {
                using var ok = JsonDocument.Parse(text);
                Assert.True(ok.RootElement.GetProperty("nbest").GetArrayLength() >= 1);
                continue;
            }

            Assert.True(status is >= 400 and < 500, $"case {i} ({type}, {body.Length} bytes) gave {status}: {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(text);
            Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("detail").GetString()));
        }

        Assert.True(counts.Where(kv => kv.Key != 200).Sum(kv => kv.Value) > Cases / 2, string.Join(", ", counts));
        var good = new ByteArrayContent(RealLattices.Offline.ToBinary());
        good.Headers.ContentType = new MediaTypeHeaderValue(LatticeMediaTypes.Binary);
        using var after = await service.Http.PostAsync("/v1/rescore", good);
        Assert.Equal(200, (int)after.StatusCode);
    }
}
