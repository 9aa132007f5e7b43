using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace EdgeVoice.Cloud;

/// <summary>Writes RFC 7807 problem-details bodies (<c>application/problem+json</c>).</summary>
internal static class ProblemWriter
{
    public const string ContentType = "application/problem+json";

    /// <summary>The problem type URI of a kind.</summary>
    public static string TypeOf(string kind) => "urn:edgevoice:problem:" + kind;

    public static async Task WriteAsync(HttpContext context, int status, string kind, string title, string detail)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        await context.Response.Body.WriteAsync(ToJson(status, kind, title, detail, context.Request.Path.Value), CancellationToken.None);
    }

    public static byte[] ToJson(int status, string kind, string title, string detail, string? instance)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", TypeOf(kind));
            json.WriteString("title", title);
            json.WriteNumber("status", status);
            json.WriteString("detail", detail);
            if (instance is not null)
            {
                json.WriteString("instance", instance);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
