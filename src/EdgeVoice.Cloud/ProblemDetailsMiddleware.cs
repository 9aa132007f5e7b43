using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EdgeVoice.Cloud;

/// <summary>
/// Turns every failure below it into a problem-details response: <see cref="ProblemException"/> with its status,
/// Kestrel's own refusals (<see cref="BadHttpRequestException"/>: body too large, truncated) with theirs, any other
/// exception into a logged 500, and bodiless 4xx answers of the framework (404, 405) into problem documents.
/// </summary>
internal sealed class ProblemDetailsMiddleware(RequestDelegate next, ServiceMetrics metrics, ILogger<ProblemDetailsMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
            if (context.Response.StatusCode >= 400 && !context.Response.HasStarted && context.Response.ContentLength is null
                && context.Response.ContentType is null)
            {
                int status = context.Response.StatusCode;
                string kind = status switch { 404 => "not-found", 405 => "method-not-allowed", _ => "http-" + status };
                metrics.RecordError(kind);
                await ProblemWriter.WriteAsync(context, status, kind, ReasonPhrase(status), $"{context.Request.Method} {context.Request.Path} was refused with {status}.");
            }
        }
        catch (ProblemException e)
        {
            metrics.RecordError(e.Kind);
            foreach (var (name, value) in e.Headers)
            {
                context.Response.Headers[name] = value;
            }

            await ProblemWriter.WriteAsync(context, e.Status, e.Kind, e.Title, e.Message);
        }
        catch (BadHttpRequestException e)
        {
            string kind = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "too-large" : "bad-request";
            metrics.RecordError(kind);
            await ProblemWriter.WriteAsync(context, e.StatusCode, kind, ReasonPhrase(e.StatusCode), e.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            metrics.RecordError("client-aborted");
        }
        catch (Exception e)
        {
            metrics.RecordError("internal");
            logger.LogError(e, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            await ProblemWriter.WriteAsync(context, 500, "internal", "Internal server error",
                $"The service failed unexpectedly ({e.GetType().Name}); the failure is logged.");
        }
    }

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
}
