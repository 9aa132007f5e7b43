using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeVoice.Cloud;

/// <summary>Counts every request by route template, method and final status, and times it (WebSocket sessions are counted, not timed).</summary>
internal sealed class MetricsMiddleware(RequestDelegate next, ServiceMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            string route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            bool webSocket = context.WebSockets.IsWebSocketRequest;
            metrics.RecordRequest(route, context.Request.Method, context.Response.StatusCode, webSocket ? null : Stopwatch.GetElapsedTime(start));
        }
    }
}
