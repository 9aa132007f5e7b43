using System.Text.Json;

namespace EdgeVoice.Cloud.Tests;

internal static class ProblemAssert
{
    /// <summary>Asserts the response is <paramref name="status"/> with an RFC 7807 body of the given kind, and returns its detail.</summary>
    public static async Task<string> IsProblemAsync(HttpResponseMessage response, int status, string? kind = null)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        JsonElement root = document.RootElement;
        Assert.Equal(status, root.GetProperty("status").GetInt32());
        string type = root.GetProperty("type").GetString()!;
        if (kind is not null)
        {
            Assert.Equal("urn:edgevoice:problem:" + kind, type);
        }

        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("title").GetString()));
        return root.GetProperty("detail").GetString()!;
    }
}
