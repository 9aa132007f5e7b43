using System.Net;
using System.Text;
using EdgeVoice.Cloud.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeVoice.Cloud;

/// <summary>
/// The lattice-rescoring service: builds the ASP.NET Core application (Kestrel on loopback by default).
/// <code>
/// var app = RescoringService.Create(RescoringServiceOptions.Default, engine, ApiKeyStore.Load("keys.txt"));
/// await app.RunAsync();
/// </code>
/// Endpoints: POST /v1/rescore, GET /v1/sessions (WebSocket), GET /healthz, GET /metrics, GET /openapi/v1.json
/// (docs/cloud-service.md).
/// </summary>
public static class RescoringService
{
    /// <summary>Builds the application; <paramref name="configureHost"/> may replace the server (tests use the TestServer).</summary>
    public static WebApplication Create(RescoringServiceOptions options, ILatticeRescoringEngine engine, ApiKeyStore keys, Action<IWebHostBuilder>? configureHost = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(keys);
        options.Validate();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        if (options.ConsoleLogging)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(options.Address), options.Port);
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            kestrel.Limits.RequestHeadersTimeout = options.RequestTimeout;
            kestrel.AddServerHeader = false;
        });
        configureHost?.Invoke(builder.WebHost);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(engine);
        builder.Services.AddSingleton(keys);
        builder.Services.AddSingleton<ServiceMetrics>();
        builder.Services.AddSingleton<KeyRateLimiter>();
        builder.Services.AddSingleton<LatticeDecoder>();
        builder.Services.AddSingleton<RescoringRunner>();
        builder.Services.AddSingleton<RescoreEndpoint>();
        builder.Services.AddSingleton<SessionServices>();
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<SessionEndpoint>();
        builder.Services.AddOpenApi();

        var app = builder.Build();
        app.UseRouting();
        app.UseMiddleware<MetricsMiddleware>();
        app.UseMiddleware<ProblemDetailsMiddleware>();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.UseMiddleware<ApiKeyMiddleware>();

        app.MapPost("/v1/rescore", (HttpContext context, [FromQuery] string? nbest, RescoreEndpoint endpoint) => endpoint.HandleAsync(context))
            .WithName("Rescore")
            .WithSummary("Rescore a lattice and return its n-best list")
            .WithDescription($"Body: a lattice, binary ({LatticeMediaTypes.Binary}) or JSON ({LatticeMediaTypes.Json}), as in docs/lattice-format.md. " +
                $"nbest: hypotheses to return (1..{options.MaxNBest}, default {options.DefaultNBest}). Requires an API key (Authorization: Bearer KEY or X-Api-Key).")
            .Produces<NBestResponse>(200)
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(408).ProducesProblem(413).ProducesProblem(415)
            .ProducesProblem(422).ProducesProblem(429).ProducesProblem(503);
        app.MapGet("/v1/sessions", (HttpContext context, SessionEndpoint endpoint) => endpoint.HandleAsync(context))
            .WithName("Session")
            .WithSummary("WebSocket session: speculative lattices, resets and final lattices in; results out")
            .WithDescription("Upgrade to a WebSocket. ?resume=ID&last=N resumes a session after a dropped connection and resends kept results after id N. Protocol: docs/cloud-service.md.")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(404).ProducesProblem(429);
        app.MapGet("/healthz", (ILatticeRescoringEngine e, SessionStore sessions, ServiceMetrics metrics) => Results.Json(new Dictionary<string, object>
            {
                ["status"] = "ok",
                ["engine"] = e.Name,
                ["sessions"] = sessions.Count,
                ["connected"] = metrics.ActiveSessions,
            }))
            .WithName("Health").WithSummary("Liveness: 200 with the engine's name while the service runs");
        app.MapGet("/metrics", (ServiceMetrics metrics) => Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8", Encoding.UTF8))
            .WithName("Metrics").WithSummary("Prometheus text-format metrics");
        app.MapOpenApi();
        return app;
    }

    /// <summary>The address a started application listens on (e.g. http://127.0.0.1:41234), for port 0.</summary>
    public static Uri ListeningAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        string? address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return address is null ? throw new InvalidOperationException("The service is not listening yet; start it first.") : new Uri(address);
    }
}
