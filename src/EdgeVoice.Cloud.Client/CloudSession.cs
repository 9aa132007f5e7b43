using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using EdgeVoice.Asr;
using EdgeVoice.Asr.Endpointing;

namespace EdgeVoice.Cloud.Client;

/// <summary>
/// A device's WebSocket session with the rescoring service (GET /v1/sessions): speculative lattices, resets and final
/// lattices go out as the end-pointers fire; rescored results come back. When the connection drops, the session
/// reconnects with its id, receives every result the service finished meanwhile, and resends the final lattices still
/// unanswered (the service treats them as repeats), so no finished result is lost. Only lattices and end-point events
/// cross the link: nothing in this API takes audio.
/// <code>
/// await using CloudSession cloud = await CloudSession.ConnectAsync(options);
/// while (stream.TryGetEndpointEvent(out EndpointEvent? e))
/// {
///     if (await cloud.SendEndpointEventAsync(e) is { } rescored) Console.WriteLine(rescored.Text);
/// }
/// </code>
/// </summary>
public sealed class CloudSession : IAsyncDisposable
{
    private const byte SpeculativeKind = 1;
    private const byte FinalKind = 2;
    private readonly CloudClientOptions _options;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<uint, PendingFinal> _pending = new();
    private readonly ConcurrentDictionary<uint, CloudRescoringResult> _speculative = new();

    /// <summary>Utterances whose final answer arrived (the latest ones), so a late speculative result of one is not kept.</summary>
    private readonly SortedSet<uint> _finished = [];

    /// <summary>Speculative results kept at most (the latest utterances'); older ones are dropped.</summary>
    internal const int MaxKeptSpeculativeResults = 64;
    private readonly SortedSet<long> _receivedAbove = [];
    private readonly CancellationTokenSource _closing = new();
    private TaskCompletionSource<string> _sessionMessage = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebSocket? _socket;
    private Task _receiver = Task.CompletedTask;
    private long _contiguousResultId;
    private long _bytesSent;
    private int _reconnects;
    private string _sessionId = "";

    private CloudSession(CloudClientOptions options) => _options = options;

    /// <summary>The service's session id (changes only when a session expired and a new one was opened).</summary>
    public string SessionId => Volatile.Read(ref _sessionId);

    /// <summary>Times a dropped connection was re-established (counted when the socket opens, before the session handshake).</summary>
    public int Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>Bytes of every message sent (lattice frames and control messages), for the audio-size comparison.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Opens a session.</summary>
    /// <exception cref="CloudServiceException">The service cannot be reached or refused the session (e.g. a bad key: 401).</exception>
    public static async Task<CloudSession> ConnectAsync(CloudClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var session = new CloudSession(options);
        await session.OpenAsync(resume: false, cancellationToken);
        return session;
    }

    /// <summary>Sends the lattice of a speculative end-point: the service starts rescoring it at once.</summary>
    public Task SendSpeculativeAsync(int utterance, WordLattice lattice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lattice);
        return TrySendAsync(Frame(SpeculativeKind, Utterance(utterance), lattice), cancellationToken);
    }

    /// <summary>Says the speculative end-point of <paramref name="utterance"/> was premature: the service drops its work.</summary>
    public Task SendResetAsync(int utterance, CancellationToken cancellationToken = default)
    {
        _speculative.TryRemove(Utterance(utterance), out _);
        return TrySendAsync(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"type\":\"reset\",\"utterance\":{Utterance(utterance)}}}")),
            cancellationToken, WebSocketMessageType.Text);
    }

    /// <summary>
    /// Sends the lattice of the final end-point and waits for its rescored result (across reconnects). Utterance numbers
    /// identify results: use each once per session.
    /// </summary>
    /// <exception cref="CloudServiceException">The service refused the lattice, or the connection could not be restored.</exception>
    public async Task<CloudRescoringResult> SendFinalAsync(int utterance, WordLattice lattice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lattice);
        uint id = Utterance(utterance);
        byte[] frame = Frame(FinalKind, id, lattice);
        var pending = new PendingFinal(frame);
        if (!_pending.TryAdd(id, pending))
        {
            throw new InvalidOperationException($"Utterance {utterance} already has a final lattice in flight; number each utterance once.");
        }

        await TrySendAsync(frame, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            return await pending.Result.Task.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _pending.TryRemove(id, out _);
            throw new CloudServiceException(0, "timeout", $"No result for utterance {utterance} within {_options.Timeout.TotalSeconds} s.");
        }
    }

    /// <summary>
    /// Forwards an end-point event of a <see cref="RecognitionStream"/>: a speculative end-point sends its lattice, a reset
    /// says so, a final end-point sends its lattice and returns the rescored result (null for the other kinds).
    /// </summary>
    public async Task<CloudRescoringResult?> SendEndpointEventAsync(EndpointEvent endpointEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpointEvent);
        switch (endpointEvent.Kind)
        {
            case EndpointEventKind.SpeculativeEndpoint:
                await SendSpeculativeAsync(endpointEvent.Utterance, endpointEvent.Lattice, cancellationToken);
                return null;
            case EndpointEventKind.Reset:
                await SendResetAsync(endpointEvent.Utterance, cancellationToken);
                return null;
            default:
                return await SendFinalAsync(endpointEvent.Utterance, endpointEvent.Lattice, cancellationToken);
        }
    }

    /// <summary>The rescored speculative lattice of <paramref name="utterance"/>, once the service has sent it.</summary>
    public bool TryGetSpeculativeResult(int utterance, out CloudRescoringResult? result) =>
        _speculative.TryGetValue(Utterance(utterance), out result);

    /// <summary>Number of speculative results held (bounded by <see cref="MaxKeptSpeculativeResults"/>).</summary>
    internal int SpeculativeResultsHeld => _speculative.Count;

    private void DropOldSpeculativeResults()
    {
        while (_speculative.Count > MaxKeptSpeculativeResults)
        {
            _speculative.TryRemove(_speculative.Keys.Min(), out _);
        }
    }

    /// <summary>Drops the connection as a network failure would (the session then reconnects); for fault tests.</summary>
    internal void DropConnection() => Volatile.Read(ref _socket)?.Abort();

    public async ValueTask DisposeAsync()
    {
        if (_closing.IsCancellationRequested)
        {
            return;
        }

        _closing.Cancel();
        WebSocket? socket = Volatile.Read(ref _socket);
        if (socket is { State: WebSocketState.Open })
        {
            try
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", quick.Token);
            }
            catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // Closing is best effort: the other end may have closed the connection in the meantime (an in-memory
                // transport reports that as IOException, a network socket as WebSocketException).
            }
        }

        socket?.Abort();
        await _receiver.ContinueWith(_ => { }, TaskScheduler.Default);
        socket?.Dispose();
        FailPending(new CloudServiceException(0, "closed", "The session was closed before the result arrived."));
        _sendLock.Dispose();
        _closing.Dispose();
    }

    private async Task OpenAsync(bool resume, CancellationToken cancellationToken, bool reconnecting = false)
    {
        _sessionMessage = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        WebSocket socket = await ConnectSocketAsync(resume, cancellationToken);
        if (reconnecting)
        {
            // Counted before the receiver starts: a retained result can arrive (and be awaited) at once.
            Interlocked.Increment(ref _reconnects);
        }

        Volatile.Write(ref _socket, socket);
        _receiver = Task.Run(() => ReceiveLoopAsync(socket), CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            Volatile.Write(ref _sessionId, await _sessionMessage.Task.WaitAsync(timeout.Token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Abort();
            throw new CloudServiceException(0, "timeout", "The service did not open the session in time.");
        }
    }

    private async Task<WebSocket> ConnectSocketAsync(bool resume, CancellationToken cancellationToken)
    {
        var builder = new UriBuilder(new Uri(_options.BaseAddress, "v1/sessions"))
        {
            Scheme = _options.BaseAddress.Scheme == "https" ? "wss" : "ws",
            Query = resume ? string.Create(CultureInfo.InvariantCulture, $"resume={Uri.EscapeDataString(SessionId)}&last={Interlocked.Read(ref _contiguousResultId)}") : "",
        };
        var headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + _options.ApiKey };
        try
        {
            if (_options.WebSocketConnector is { } connect)
            {
                return await connect(builder.Uri, headers, cancellationToken);
            }

            var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            foreach (var (name, value) in headers)
            {
                socket.Options.SetRequestHeader(name, value);
            }

            try
            {
                await socket.ConnectAsync(builder.Uri, cancellationToken);
                return socket;
            }
            catch (WebSocketException e) when (socket.HttpStatusCode != 0)
            {
                int status = (int)socket.HttpStatusCode;
                socket.Dispose();
                throw new CloudServiceException(status, status == 401 ? "unauthorized" : status == 404 ? "unknown-session" : "refused",
                    $"The rescoring service refused the session with {status}.", e);
            }
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or InvalidOperationException or IOException)
        {
            int status = e.Message.Contains("404", StringComparison.Ordinal) ? 404 : e.Message.Contains("401", StringComparison.Ordinal) ? 401 : 0;
            throw new CloudServiceException(status, status == 404 ? "unknown-session" : status == 401 ? "unauthorized" : "unreachable",
                $"The rescoring service at {_options.BaseAddress} cannot be reached ({e.Message}).", e);
        }
    }

    private async Task ReceiveLoopAsync(WebSocket socket)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                message.SetLength(0);
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await socket.ReceiveAsync(buffer.AsMemory(), _closing.Token);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        throw new WebSocketException("The service closed the connection.");
                    }

                    message.Write(buffer, 0, received.Count);
                }
                while (!received.EndOfMessage);

                try
                {
                    await HandleAsync(message.ToArray());
                }
                catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or CloudServiceException)
                {
                    // A message of an unexpected shape is skipped; the session goes on.
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or JsonException or IOException)
        {
            if (!_closing.IsCancellationRequested)
            {
                _ = Task.Run(ReconnectAsync);
            }
        }
    }

    private async Task HandleAsync(byte[] text)
    {
        using JsonDocument document = JsonDocument.Parse(text);
        JsonElement root = document.RootElement;
        string type = root.GetProperty("type").GetString() ?? "";
        switch (type)
        {
            case "session":
                _sessionMessage.TrySetResult(root.GetProperty("session").GetString() ?? "");
                break;
            case "speculative_result":
                uint speculativeOf = root.GetProperty("utterance").GetUInt32();
                bool late;
                lock (_finished)
                {
                    late = _finished.Contains(speculativeOf);
                }

                if (_pending.ContainsKey(speculativeOf) || !late)
                {
                    _speculative[speculativeOf] = CloudRescoringResult.Parse(root);
                    DropOldSpeculativeResults();
                }

                break;
            case "result":
            case "error":
                bool hasId = root.TryGetProperty("id", out JsonElement idElement);
                uint? utterance = root.TryGetProperty("utterance", out JsonElement u) ? u.GetUInt32() : null;
                if (hasId)
                {
                    long id = idElement.GetInt64();
                    MarkReceived(id);
                    await TrySendAsync(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"type\":\"ack\",\"id\":{id}}}")),
                        CancellationToken.None, WebSocketMessageType.Text);
                }

                bool isFinalAnswer = hasId || (type == "error" && utterance is { } un && _pending.ContainsKey(un) && IsRefusalOfFinal(root));
                if (utterance is { } key && isFinalAnswer && _pending.TryRemove(key, out PendingFinal? pending))
                {
                    // The final answer replaces the speculative one: keep neither, or a long session grows without bound.
                    _speculative.TryRemove(key, out _);
                    lock (_finished)
                    {
                        _finished.Add(key);
                        if (_finished.Count > MaxKeptSpeculativeResults)
                        {
                            _finished.Remove(_finished.Min);
                        }
                    }

                    if (type == "result")
                    {
                        pending.Result.TrySetResult(CloudRescoringResult.Parse(root));
                    }
                    else
                    {
                        pending.Result.TrySetException(CloudServiceException.FromProblem(root.GetProperty("status").GetInt32(), root));
                    }
                }

                break;
        }
    }

    /// <summary>An error without a result id refused a message outright (e.g. rate limit); for a pending final that means it was not taken.</summary>
    private static bool IsRefusalOfFinal(JsonElement error) => error.TryGetProperty("status", out JsonElement s) && s.GetInt32() is 400 or 413 or 429;

    private void MarkReceived(long id)
    {
        lock (_receivedAbove)
        {
            if (id <= _contiguousResultId)
            {
                return;
            }

            _receivedAbove.Add(id);
            while (_receivedAbove.Remove(_contiguousResultId + 1))
            {
                _contiguousResultId++;
            }
        }
    }

    private async Task ReconnectAsync()
    {
        TimeSpan delay = _options.ReconnectDelay;
        for (int attempt = 0; attempt < Math.Max(1, _options.MaxReconnectAttempts) && !_closing.IsCancellationRequested; attempt++)
        {
            try
            {
                await Task.Delay(delay, _closing.Token);
                try
                {
                    await OpenAsync(resume: true, _closing.Token, reconnecting: true);
                }
                catch (CloudServiceException e) when (e.Status == 404)
                {
                    await OpenAsync(resume: false, _closing.Token, reconnecting: true);
                }

                foreach (PendingFinal pending in _pending.Values)
                {
                    await TrySendAsync(pending.Frame, _closing.Token);
                }

                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception)
            {
                // Any failure to reconnect (refused, unreachable, timed out) is retried with a longer delay.
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.TicksPerSecond * 2));
            }
        }

        FailPending(new CloudServiceException(0, "disconnected", $"The connection to {_options.BaseAddress} was lost and could not be restored."));
    }

    /// <summary>Sends a message if the connection is up; when it is down the reconnect resends what matters (unanswered finals).</summary>
    private async Task TrySendAsync(byte[] message, CancellationToken cancellationToken, WebSocketMessageType type = WebSocketMessageType.Binary)
    {
        WebSocket? socket = Volatile.Read(ref _socket);
        if (socket is not { State: WebSocketState.Open })
        {
            return;
        }

        try
        {
            await _sendLock.WaitAsync(cancellationToken);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        try
        {
            await socket.SendAsync(message, type, endOfMessage: true, cancellationToken);
            Interlocked.Add(ref _bytesSent, message.Length);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // The receive loop notices the broken connection and reconnects.
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private void FailPending(CloudServiceException error)
    {
        foreach (uint key in _pending.Keys)
        {
            if (_pending.TryRemove(key, out PendingFinal? pending))
            {
                pending.Result.TrySetException(error);
            }
        }
    }

    private byte[] Frame(byte kind, uint utterance, WordLattice lattice)
    {
        byte[] body = lattice.ToBinary();
        var frame = new byte[6 + body.Length];
        frame[0] = kind;
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(1, 4), utterance);
        frame[5] = (byte)_options.NBest;
        body.CopyTo(frame, 6);
        return frame;
    }

    private static uint Utterance(int utterance)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(utterance);
        return (uint)utterance;
    }

    private sealed class PendingFinal(byte[] frame)
    {
        public byte[] Frame { get; } = frame;

        public TaskCompletionSource<CloudRescoringResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
