using Microsoft.AspNetCore.Http;

namespace EdgeVoice.Cloud;

/// <summary>
/// Requires a valid API key on every path under <c>/v1</c> (<c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>):
/// 401 without one; then takes a rate-limit token for the key (429 when it has none). The key's name is left in
/// <see cref="HttpContext.Items"/> under <see cref="KeyNameItem"/>.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyStore keys, KeyRateLimiter limiter)
{
    public const string KeyNameItem = "edgevoice.key";

    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
        {
            return next(context);
        }

        string? key = PresentedKey(context.Request);
        if (!keys.TryAuthenticate(key, out string name))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"edgevoice\"";
            throw new ProblemException(401, "unauthorized", "Unauthorized", key is null
                ? "An API key is required: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'."
                : "The API key is not valid.");
        }

        limiter.Acquire(name);
        context.Items[KeyNameItem] = name;
        return next(context);
    }

    private static string? PresentedKey(HttpRequest request)
    {
        string? auth = request.Headers.Authorization;
        if (auth is not null && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return auth["Bearer ".Length..].Trim();
        }

        string? header = request.Headers["X-Api-Key"];
        return string.IsNullOrWhiteSpace(header) ? null : header.Trim();
    }
}
