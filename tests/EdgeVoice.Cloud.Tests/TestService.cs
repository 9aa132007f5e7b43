using System.Net.WebSockets;
using EdgeVoice.Cloud.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace EdgeVoice.Cloud.Tests;

/// <summary>The service on an in-memory TestServer, with one valid key, an HTTP client that sends it and a WebSocket connector.</summary>
internal sealed class TestService : IAsyncDisposable
{
    public const string Key = "evk_test-key-for-the-cloud-tests-0123456789";
    public const string OtherKey = "evk_another-test-key-9876543210";

    private TestService(WebApplication app, ILatticeRescoringEngine engine)
    {
        App = app;
        Engine = engine;
        Server = app.GetTestServer();
        Http = Server.CreateClient();
        Http.DefaultRequestHeaders.Add("X-Api-Key", Key);
    }

    public WebApplication App { get; }

    public ILatticeRescoringEngine Engine { get; }

    public TestServer Server { get; }

    /// <summary>Sends <see cref="Key"/> on every request.</summary>
    public HttpClient Http { get; }

    public static async Task<TestService> StartAsync(ILatticeRescoringEngine? engine = null, RescoringServiceOptions? options = null)
    {
        engine ??= new GatedEngine();
        var keys = ApiKeyStore.FromKeys([("device", Key), ("other", OtherKey)]);
        var app = RescoringService.Create(options ?? new RescoringServiceOptions { Port = 0 }, engine, keys, host => host.UseTestServer());
        await app.StartAsync();
        return new TestService(app, engine);
    }

    /// <summary>Client options that reach this in-memory server.</summary>
    public CloudClientOptions ClientOptions(string key = Key) => new()
    {
        BaseAddress = new Uri("http://localhost/"),
        ApiKey = key,
        HttpHandler = Server.CreateHandler(),
        WebSocketConnector = ConnectAsync,
        Timeout = TimeSpan.FromSeconds(20),
    };

    public Task<WebSocket> ConnectAsync(Uri uri, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        WebSocketClient client = Server.CreateWebSocketClient();
        client.ConfigureRequest = request =>
        {
            foreach (var (name, value) in headers)
            {
                request.Headers[name] = value;
            }
        };
        return client.ConnectAsync(uri, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
