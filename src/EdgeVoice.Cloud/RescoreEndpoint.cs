using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace EdgeVoice.Cloud;

/// <summary>
/// <c>POST /v1/rescore?nbest=N</c>: a lattice in the body (binary or JSON, by Content-Type), the rescored n-best
/// list as JSON in the answer. Refusals: 415 for another content type, 413 beyond the size limit, 400 for a bad
/// <c>nbest</c>, 422 for a body that is not a valid lattice, 408 when the body does not arrive in time.
/// </summary>
internal sealed class RescoreEndpoint(RescoringServiceOptions options, LatticeDecoder decoder, RescoringRunner runner)
{
    public async Task HandleAsync(HttpContext context)
    {
        bool binary = LatticeMediaTypes.IsBinary(context.Request.ContentType) ?? throw UnsupportedType(context);
        int nbest = ReadNBest(context.Request.Query["nbest"], options);
        if (context.Request.ContentLength > options.MaxRequestBytes)
        {
            throw TooLarge(options);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(options.RequestTimeout);
        byte[] body;
        try
        {
            body = await ReadBodyAsync(context.Request.Body, options.MaxRequestBytes, deadline.Token);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            throw new ProblemException(408, "request-timeout", "Request Timeout",
                $"The request body did not arrive within {options.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.");
        }

        var lattice = decoder.Decode(body, binary);
        RescoreOutcome outcome;
        try
        {
            outcome = await runner.RunAsync(lattice, nbest, "http", deadline.Token);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            var busy = new ProblemException(503, "busy", "Service Unavailable",
                $"Rescoring did not finish within {options.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; the service is overloaded, retry later.");
            busy.Headers["Retry-After"] = "1";
            throw busy;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(outcome.ToJson(), context.RequestAborted);
    }

    /// <summary>The nbest query value: the default when absent, else an integer in 1..MaxNBest (400 otherwise).</summary>
    internal static int ReadNBest(string? text, RescoringServiceOptions options)
    {
        if (string.IsNullOrEmpty(text))
        {
            return options.DefaultNBest;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || n > options.MaxNBest)
        {
            throw new ProblemException(400, "bad-nbest", "Bad nbest", $"nbest must be an integer from 1 to {options.MaxNBest}; got '{Shorten(text)}'.");
        }

        return n;
    }

    internal static ProblemException TooLarge(RescoringServiceOptions options) =>
        new(413, "too-large", "Payload Too Large", $"The lattice is larger than this service's limit of {options.MaxRequestBytes} bytes.");

    private static ProblemException UnsupportedType(HttpContext context)
    {
        context.Response.Headers["Accept-Post"] = LatticeMediaTypes.Accepted;
        string got = context.Request.ContentType is { } type ? $"'{Shorten(type)}'" : "no Content-Type";
        return new ProblemException(415, "unsupported-media-type", "Unsupported Media Type",
            $"Send a lattice as {LatticeMediaTypes.Binary} (binary) or {LatticeMediaTypes.Json}; got {got}.");
    }

    private static async Task<byte[]> ReadBodyAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            int read = await body.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                return buffer.ToArray();
            }

            if (buffer.Length + read > limit)
            {
                throw new ProblemException(413, "too-large", "Payload Too Large", $"The lattice is larger than this service's limit of {limit} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
