using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace EdgeVoice.Cloud;

/// <summary>
/// API keys, stored as SHA-256 hashes only. A key is 256 random bits (<c>evk_</c> + base64url), so a fast hash
/// suffices: there is nothing to guess from a dictionary. The keys file has one key per line,
/// <c>&lt;name&gt; sha256:&lt;64 hex digits&gt;</c>; blank lines and lines starting with <c>#</c> are ignored.
/// Create a key with <see cref="CreateKey"/> (<c>edgevoice serve add-key NAME --keys FILE</c>): the key itself
/// is shown once and never stored.
/// </summary>
public sealed partial class ApiKeyStore
{
    private const string KeyPrefix = "evk_";
    private const string HashPrefix = "sha256:";
    private readonly Dictionary<string, string> _namesByHash;

    private ApiKeyStore(Dictionary<string, string> namesByHash) => _namesByHash = namesByHash;

    /// <summary>Number of keys.</summary>
    public int Count => _namesByHash.Count;

    /// <summary>A store holding the given (name, key) pairs, hashed; for tests and embedding.</summary>
    public static ApiKeyStore FromKeys(IEnumerable<(string Name, string Key)> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, key) in keys)
        {
            CheckName(name);
            map[Hash(key)] = name;
        }

        return new ApiKeyStore(map);
    }

    /// <summary>Reads a keys file.</summary>
    /// <exception cref="FormatException">A line is not <c>name sha256:hex</c>; the message names the file and line.</exception>
    public static ApiKeyStore Load(string path)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        int lineNumber = 0;
        foreach (string raw in File.ReadLines(path))
        {
            lineNumber++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            string[] parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !NamePattern().IsMatch(parts[0]) || !parts[1].StartsWith(HashPrefix, StringComparison.Ordinal)
                || !HexPattern().IsMatch(parts[1][HashPrefix.Length..]))
            {
                throw new FormatException($"{path}:{lineNumber}: expected '<name> sha256:<64 hex digits>' (create keys with 'edgevoice serve add-key NAME --keys {path}').");
            }

            map[parts[1][HashPrefix.Length..].ToLowerInvariant()] = parts[0];
        }

        return new ApiKeyStore(map);
    }

    /// <summary>Makes a new random key, appends its hash under <paramref name="name"/> to the keys file (created if absent) and returns the key.</summary>
    public static string CreateKey(string path, string name)
    {
        CheckName(name);
        string key = KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        bool exists = File.Exists(path);
        if (exists)
        {
            _ = Load(path);
        }

        string header = exists ? "" : "# EdgeVoice API keys: <name> sha256:<hash of the key>. Add one with: edgevoice serve add-key NAME --keys FILE\n";
        File.AppendAllText(path, header + $"{name} {HashPrefix}{Hash(key)}\n");
        return key;
    }

    /// <summary>The key's name when <paramref name="key"/> is valid.</summary>
    public bool TryAuthenticate(string? key, out string name)
    {
        name = "";
        if (string.IsNullOrEmpty(key) || key.Length > 256)
        {
            return false;
        }

        if (_namesByHash.TryGetValue(Hash(key), out string? found))
        {
            name = found;
            return true;
        }

        return false;
    }

    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes.</summary>
    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    private static void CheckName(string name)
    {
        if (name is null || !NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"API key name '{name}' must be 1 to 64 letters, digits, '.', '_' or '-'.", nameof(name));
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex HexPattern();
}
