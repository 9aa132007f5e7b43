using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace EdgeVoice.Cloud.Tests;

/// <summary>A WebSocket session driven frame by frame, to test the protocol without the client's reconnect logic.</summary>
internal sealed class RawSession(WebSocket socket) : IDisposable
{
    public WebSocket Socket { get; } = socket;

    public static async Task<RawSession> OpenAsync(TestService service, string query = "", string key = TestService.Key)
    {
        var uri = new Uri("ws://localhost/v1/sessions" + query);
        WebSocket socket = await service.ConnectAsync(uri, new Dictionary<string, string> { ["X-Api-Key"] = key }, CancellationToken.None);
        return new RawSession(socket);
    }

    public static byte[] Frame(byte kind, uint utterance, byte[] lattice, byte nbest = 0)
    {
        var frame = new byte[6 + lattice.Length];
        frame[0] = kind;
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(1), utterance);
        frame[5] = nbest;
        lattice.CopyTo(frame, 6);
        return frame;
    }

    public Task SendBinaryAsync(byte[] frame) => Socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);

    public Task SendTextAsync(string text) => Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next message as JSON (fails after 20 s).</summary>
    public async Task<JsonElement> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult received;
        do
        {
            received = await Socket.ReceiveAsync(buffer, timeout.Token);
            Assert.NotEqual(WebSocketMessageType.Close, received.MessageType);
            message.Write(buffer, 0, received.Count);
        }
        while (!received.EndOfMessage);

        using var document = JsonDocument.Parse(message.ToArray());
        return document.RootElement.Clone();
    }

    /// <summary>Messages until one of type <paramref name="type"/> arrives; returns it.</summary>
    public async Task<JsonElement> ReceiveUntilAsync(string type)
    {
        while (true)
        {
            JsonElement message = await ReceiveAsync();
            if (message.GetProperty("type").GetString() == type)
            {
                return message;
            }
        }
    }

    public void Dispose() => Socket.Dispose();
}
