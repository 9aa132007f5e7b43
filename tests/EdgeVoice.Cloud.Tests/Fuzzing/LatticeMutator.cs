using System.Buffers.Binary;
using System.Text;

namespace EdgeVoice.Cloud.Tests.Fuzzing;

/// <summary>
/// Seeded mutations of real lattices, for the fuzz test and the bench/cloud fuzz run. Binary lattices get bit flips,
/// byte changes (varint extremes included), insertions, deletions, duplications and truncations, and half of them
/// a recomputed CRC-32 so the mutation reaches the parser behind the checksum. JSON lattices get edits of their text:
/// structural characters, extreme numbers, wrong types, removed keys, invalid UTF-8 and truncations.
/// </summary>
public sealed class LatticeMutator(byte[] binary, string json, int seed)
{
    private static readonly string[] JsonTokens =
    [
        "{", "}", "[", "]", "\"", ",", ":", "null", "true", "-1", "0", "1e309", "-1e309", "99999999999", "2147483648", "1.5",
        "\"\"", "\"\\u0000\"", "NaN", "[]", "{}", "\"nodes\"", "\"arcs\"", "\"final\"", "\"from\"", "\"to\"", "\"word\"", "-0", "1e-400",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "\"\\ud800\"", "10000000", "9000000",
    ];

    private readonly Random _random = new(seed);
    private readonly byte[] _jsonBytes = Encoding.UTF8.GetBytes(json);

    /// <summary>The next case: a body and its content type (alternating binary and JSON).</summary>
    public (byte[] Body, string ContentType) Next(int index) =>
        index % 2 == 0 ? (MutateBinary(), LatticeMediaTypes.Binary) : (MutateJson(), LatticeMediaTypes.Json);

    public byte[] MutateBinary()
    {
        var bytes = new List<byte>(binary);
        int edits = 1 + _random.Next(4);
        for (int e = 0; e < edits; e++)
        {
            Edit(bytes);
        }

        byte[] result = [.. bytes];
        if (_random.Next(2) == 0 && result.Length >= 8)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(result.Length - 4), ZlibCrc32.Compute(result.AsSpan(0, result.Length - 4)));
        }

        return result;
    }

    public byte[] MutateJson()
    {
        int kind = _random.Next(10);
        if (kind == 0)
        {
            var bytes = new List<byte>(_jsonBytes);
            Edit(bytes);
            return [.. bytes];
        }

        var text = new StringBuilder(json);
        int edits = 1 + _random.Next(3);
        for (int e = 0; e < edits; e++)
        {
            int at = _random.Next(text.Length + 1);
            switch (_random.Next(6))
            {
                case 0:
                    text.Insert(at, JsonTokens[_random.Next(JsonTokens.Length)]);
                    break;
                case 1:
                    text.Remove(Math.Min(at, text.Length), Math.Min(_random.Next(1, 12), text.Length - Math.Min(at, text.Length)));
                    break;
                case 2:
                    ReplaceNumber(text, at);
                    break;
                case 3:
                    text.Length = Math.Min(at, text.Length);
                    break;
                case 4:
                    ReplaceString(text, at);
                    break;
                default:
                    if (text.Length > 0)
                    {
                        text[Math.Min(at, text.Length - 1)] = (char)_random.Next(32, 127);
                    }

                    break;
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private void Edit(List<byte> bytes)
    {
        int at = bytes.Count == 0 ? 0 : _random.Next(bytes.Count);
        switch (_random.Next(8))
        {
            case 0 when bytes.Count > 0:
                bytes[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                bytes[at] = (byte)_random.Next(256);
                break;
            case 2 when bytes.Count > 0:
                bytes[at] = _random.Next(3) switch { 0 => 0x80, 1 => 0xFF, _ => 0x7F };
                break;
            case 3:
                for (int i = _random.Next(1, 9); i > 0; i--)
                {
                    bytes.Insert(at, (byte)_random.Next(256));
                }

                break;
            case 4 when bytes.Count > 0:
                bytes.RemoveRange(at, Math.Min(_random.Next(1, 16), bytes.Count - at));
                break;
            case 5 when bytes.Count > 0:
                int length = Math.Min(_random.Next(1, 32), bytes.Count - at);
                bytes.InsertRange(at, bytes.GetRange(at, length));
                break;
            case 6:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            default:
                if (bytes.Count > 0)
                {
                    bytes[at] = (byte)(bytes[at] + (_random.Next(2) == 0 ? 1 : -1));
                }

                break;
        }
    }

    private void ReplaceNumber(StringBuilder text, int at)
    {
        for (int i = at; i < text.Length; i++)
        {
            if (char.IsDigit(text[i]))
            {
                int end = i;
                while (end < text.Length && (char.IsDigit(text[end]) || text[end] is '.' or 'e' or 'E' or '-' or '+'))
                {
                    end++;
                }

                string[] replacements = ["0", "-1", "1e309", "2147483647", "2147483648", "-2147483649", "9000000", "1.5", "null", "\"7\"", "1e-50", "3"];
                text.Remove(i, end - i).Insert(i, replacements[_random.Next(replacements.Length)]);
                return;
            }
        }
    }

    private void ReplaceString(StringBuilder text, int at)
    {
        for (int i = at; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                int end = text.ToString().IndexOf('"', i + 1);
                if (end < 0)
                {
                    return;
                }

                string[] replacements = ["", "x", "edgevoice-lattice", new string('W', 300), "\\u0000", "\\ud800", "TURN\\nON", "é"];
                text.Remove(i + 1, end - i - 1).Insert(i + 1, replacements[_random.Next(replacements.Length)]);
                return;
            }
        }
    }
}
