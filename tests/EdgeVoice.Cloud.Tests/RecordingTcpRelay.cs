using System.Net;
using System.Net.Sockets;

namespace EdgeVoice.Cloud.Tests;

/// <summary>
/// A TCP relay on loopback that forwards every connection to a target and records every byte in both directions:
/// the wire between the device client and the service.
/// </summary>
internal sealed class RecordingTcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly MemoryStream _upstream = new();
    private readonly MemoryStream _downstream = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly Task _accepting;

    public RecordingTcpRelay(Uri target)
    {
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Every byte the client sent.</summary>
    public byte[] Upstream()
    {
        lock (_upstream)
        {
            return _upstream.ToArray();
        }
    }

    /// <summary>Every byte the service sent.</summary>
    public byte[] Downstream()
    {
        lock (_downstream)
        {
            return _downstream.ToArray();
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var server = new TcpClient();
                await server.ConnectAsync(_target, _stop.Token);
                lock (_pumps)
                {
                    _pumps.Add(PumpAsync(client, server, _upstream));
                    _pumps.Add(PumpAsync(server, client, _downstream));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, MemoryStream record)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            NetworkStream input = from.GetStream(), output = to.GetStream();
            int read;
            while ((read = await input.ReadAsync(buffer, _stop.Token)) > 0)
            {
                lock (record)
                {
                    record.Write(buffer, 0, read);
                }

                await output.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }

            to.Client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // One side closed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
        Task[] pumps;
        lock (_pumps)
        {
            pumps = [.. _pumps];
        }

        await Task.WhenAll(pumps);
        _stop.Dispose();
    }
}
