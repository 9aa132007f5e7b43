using System.CommandLine;
using EdgeVoice.Asr;
using EdgeVoice.Cloud.Client;

namespace EdgeVoice.Cli;

/// <summary>
/// --cloud URL and --cloud-key KEY, shared by transcribe and eval: the device sends each utterance's lattice (never
/// audio) to the rescoring service and reports the service's best hypothesis. The key may also come from the
/// EDGEVOICE_API_KEY environment variable, so it need not appear on a command line.
/// </summary>
public sealed class CloudCliOptions
{
    /// <summary>Environment variable read when --cloud-key is absent.</summary>
    public const string KeyVariable = "EDGEVOICE_API_KEY";

    private readonly Option<string?> _cloud = new("--cloud")
    {
        Description = "Rescore each lattice with the service at this address (e.g. http://127.0.0.1:8765); only the lattice is sent. Uses beam search.",
    };

    private readonly Option<string?> _key = new("--cloud-key") { Description = $"API key for --cloud (default: ${KeyVariable})." };

    public void AddTo(Command command)
    {
        command.Options.Add(_cloud);
        command.Options.Add(_key);
    }

    /// <summary>True when --cloud was given (the recognizer must then keep an n-best list: beam search).</summary>
    public bool IsSet(ParseResult parsed) => parsed.GetValue(_cloud) is not null;

    /// <summary>The client for --cloud, or null without it.</summary>
    /// <exception cref="CliUsageException">The address is not an absolute http(s) URL, or no key was given.</exception>
    public CloudRescoringClient? CreateClient(ParseResult parsed)
    {
        if (parsed.GetValue(_cloud) is not { } address)
        {
            return null;
        }

        if (!Uri.TryCreate(address, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliUsageException($"--cloud '{address}' is not an http:// or https:// address.");
        }

        string? key = parsed.GetValue(_key) ?? Environment.GetEnvironmentVariable(KeyVariable);
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new CliUsageException($"--cloud needs an API key: pass --cloud-key KEY or set {KeyVariable} (create one with 'edgevoice serve add-key').");
        }

        return new CloudRescoringClient(new CloudClientOptions { BaseAddress = uri, ApiKey = key });
    }

    /// <summary>Sends <paramref name="lattice"/> and waits for the rescored n-best.</summary>
    public static CloudRescoringResult Rescore(CloudRescoringClient client, WordLattice lattice) =>
        client.RescoreAsync(lattice).GetAwaiter().GetResult();
}
