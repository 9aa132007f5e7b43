using System.CommandLine;
using EdgeVoice.Cloud;
using Microsoft.Extensions.Hosting;

namespace EdgeVoice.Cli;

/// <summary>
/// `edgevoice serve`: the lattice-rescoring service on loopback (docs/cloud-service.md), and `edgevoice serve add-key`
/// to create an API key. Defaults come from <see cref="RescoringServiceOptions.Default"/>.
/// </summary>
public static class ServeCommand
{
    /// <summary>The keys file used when --keys is not given (in the current folder).</summary>
    public const string DefaultKeysFile = "edgevoice-keys.txt";

    public static Command Create(CliConsole console)
    {
        var defaults = RescoringServiceOptions.Default;
        var port = new Option<int?>("--port") { Description = $"TCP port (default {defaults.Port}; 0 picks a free one)." };
        var address = new Option<string?>("--address")
        {
            Description = $"Address to listen on (default {defaults.Address}, loopback: nothing outside this machine can connect).",
        };
        var keys = new Option<string?>("--keys") { Description = $"API keys file, hashed keys only (default ./{DefaultKeysFile}); create keys with 'edgevoice serve add-key NAME'." };
        var lm = new Option<string?>("--lm")
        {
            Description = "Language model for rescoring: a model file, or 'none' to rank by acoustic scores only. Default: the language model in models/.",
        };

        var command = new Command("serve", "Run the cloud lattice-rescoring service (HTTP + WebSocket) until Ctrl+C.");
        command.Options.Add(port);
        command.Options.Add(address);
        command.Options.Add(keys);
        command.Options.Add(lm);
        command.Subcommands.Add(CreateAddKey(console));
        command.SetAction(parsed =>
        {
            string keysPath = parsed.GetValue(keys) ?? DefaultKeysFile;
            if (!File.Exists(keysPath))
            {
                throw new CliUsageException($"keys file '{keysPath}' not found; create a key first: edgevoice serve add-key NAME --keys {keysPath}");
            }

            ApiKeyStore store = ApiKeyStore.Load(keysPath);
            if (store.Count == 0)
            {
                throw new CliUsageException($"keys file '{keysPath}' holds no key; add one: edgevoice serve add-key NAME --keys {keysPath}");
            }

            ILatticeRescoringEngine engine = ServeEngines.Create(parsed.GetValue(lm));
            var options = new RescoringServiceOptions
            {
                Address = parsed.GetValue(address) ?? defaults.Address,
                Port = parsed.GetValue(port) ?? defaults.Port,
                ConsoleLogging = true,
            };
            var app = RescoringService.Create(options, engine, store);
            app.Start();
            console.Error.WriteLine($"edgevoice serve: listening on {RescoringService.ListeningAddress(app)} with {engine.Name} rescoring, {store.Count} key(s) from {keysPath}; Ctrl+C stops.");
            console.Error.Flush();
            app.WaitForShutdown();
            return 0;
        });
        return command;
    }

    private static Command CreateAddKey(CliConsole console)
    {
        var name = new Argument<string>("name") { Description = "Name of the device or user the key is for (letters, digits, '.', '_', '-')." };
        var keys = new Option<string?>("--keys") { Description = $"Keys file to append to (default ./{DefaultKeysFile}; created if absent)." };
        var command = new Command("add-key", "Create an API key: prints the key once and stores only its SHA-256 hash in the keys file.");
        command.Arguments.Add(name);
        command.Options.Add(keys);
        command.SetAction(parsed =>
        {
            string path = parsed.GetValue(keys) ?? DefaultKeysFile;
            string key = ApiKeyStore.CreateKey(path, parsed.GetRequiredValue(name));
            console.Output.WriteLine(key);
            console.Error.WriteLine($"edgevoice serve add-key: stored the hash of the key above in {path}; the key itself is not kept anywhere, save it now.");
            return 0;
        });
        return command;
    }
}
