using System.Net.WebSockets;
using System.Threading.Channels;

namespace EdgeVoice.Cloud.Sessions;

/// <summary>
/// One WebSocket connection of a session: reads device messages (each bounded by the request size limit and
/// rate-limited per key) and writes the service's messages from a queue, so sends never overlap.
/// A message the service refuses is answered with an <c>error</c> message; the connection stays open.
/// </summary>
internal sealed class SessionConnection(WebSocket socket, SessionServices services)
{
    private readonly Channel<byte[]> _outbound = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(byte[] message) => _outbound.Writer.TryWrite(message);

    /// <summary>Drops the connection (another connection took over the session, or the session expired).</summary>
    public void Abort()
    {
        _outbound.Writer.TryComplete();
        socket.Abort();
    }

    public async Task RunAsync(DeviceSession session, CancellationToken cancellationToken)
    {
        Task writer = WriteLoopAsync(cancellationToken);
        try
        {
            await ReadLoopAsync(session, cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The device went away; the session keeps its results for a reconnect.
        }
        finally
        {
            session.Detach(this);
            _outbound.Writer.TryComplete();
            await writer;
        }
    }

    private async Task ReadLoopAsync(DeviceSession session, CancellationToken cancellationToken)
    {
        int limit = services.Options.MaxRequestBytes;
        var buffer = new byte[Math.Min(limit, 64 * 1024) + 1];
        using var message = new MemoryStream();
        while (true)
        {
            message.SetLength(0);
            ValueWebSocketReceiveResult received;
            bool tooLarge = false;
            do
            {
                received = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    _outbound.Writer.TryComplete();
                    return;
                }

                if (message.Length + received.Count > limit)
                {
                    tooLarge = true;
                }
                else
                {
                    message.Write(buffer, 0, received.Count);
                }
            }
            while (!received.EndOfMessage);

            if (tooLarge)
            {
                Refuse(RescoreEndpoint.TooLarge(services.Options), null);
                continue;
            }

            Dispatch(session, message.GetBuffer().AsSpan(0, (int)message.Length), received.MessageType == WebSocketMessageType.Binary);
        }
    }

    private void Dispatch(DeviceSession session, ReadOnlySpan<byte> frame, bool binary)
    {
        uint? utterance = null;
        try
        {
            services.Limiter.Acquire(session.KeyName);
            SessionMessage message = SessionMessage.Parse(frame, binary);
            services.Metrics.RecordSessionMessage(message.Type.ToString().ToLowerInvariant());
            utterance = message.Type == SessionMessageType.Ack ? null : message.Utterance;
            session.Handle(message);
        }
        catch (ProblemException e)
        {
            Refuse(e, utterance);
        }
    }

    private void Refuse(ProblemException problem, uint? utterance)
    {
        services.Metrics.RecordError(problem.Kind);
        Enqueue(ServerMessages.Error(problem, null, utterance));
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (byte[] message in _outbound.Reader.ReadAllAsync(cancellationToken))
            {
                await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }

            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", closing.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection is gone; anything not delivered is still kept by the session.
        }
    }
}
