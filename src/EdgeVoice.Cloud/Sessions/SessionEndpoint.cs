using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace EdgeVoice.Cloud.Sessions;

/// <summary>
/// <c>GET /v1/sessions</c> (WebSocket): opens a new session, or resumes one with <c>?resume=ID&amp;last=N</c> (N: the highest
/// result id the device has; later kept results are sent again). 400 without a WebSocket upgrade, 404 for an unknown
/// or expired session (or one opened with another key).
/// </summary>
internal sealed class SessionEndpoint(SessionStore store, SessionServices services)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            throw new ProblemException(400, "websocket-required", "WebSocket required", "/v1/sessions is a WebSocket endpoint; connect with a WebSocket upgrade.");
        }

        string keyName = (string)context.Items[ApiKeyMiddleware.KeyNameItem]!;
        string? resume = context.Request.Query["resume"];
        long last = 0;
        if (context.Request.Query["last"] is { Count: > 0 } lastText
            && (!long.TryParse(lastText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out last)))
        {
            throw new ProblemException(400, "bad-last", "Bad last", "last must be a non-negative integer: the highest result id received.");
        }

        DeviceSession session;
        if (string.IsNullOrEmpty(resume))
        {
            session = store.Create(keyName);
        }
        else
        {
            session = store.Find(resume, keyName) ?? throw new ProblemException(404, "unknown-session", "Unknown session",
                "No session with this id is held for this API key (it expired or never existed); open a new session.");
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new SessionConnection(socket, services);
        services.Metrics.SessionOpened();
        try
        {
            session.Attach(connection, last, resumed: !string.IsNullOrEmpty(resume));
            await connection.RunAsync(session, context.RequestAborted);
        }
        finally
        {
            services.Metrics.SessionClosed();
        }
    }
}
