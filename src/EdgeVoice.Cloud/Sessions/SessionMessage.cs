using System.Buffers.Binary;
using System.Text.Json;

namespace EdgeVoice.Cloud.Sessions;

/// <summary>What a device may send in a session (docs/cloud-service.md, "Session protocol").</summary>
internal enum SessionMessageType
{
    /// <summary>A lattice at a speculative end-point: start rescoring it.</summary>
    Speculative,

    /// <summary>The speculative end-point was premature: drop its work.</summary>
    Reset,

    /// <summary>The lattice at the final end-point: rescore it (or reuse the speculative work) and answer with a result.</summary>
    Final,

    /// <summary>The device has a result: the service may forget it.</summary>
    Ack,
}

/// <summary>
/// One message from a device, decoded. Binary frames: <c>kind u8 (1 speculative, 2 final) | utterance u32 LE |
/// nbest u8 (0: default) | binary lattice</c>. Text frames: JSON <c>{"type":"reset","utterance":N}</c>,
/// <c>{"type":"ack","id":N}</c>, or <c>{"type":"speculative"|"final","utterance":N,"nbest":N,"lattice":{JSON lattice}}</c>.
/// </summary>
internal sealed record SessionMessage(SessionMessageType Type, uint Utterance, int NBest, byte[] Lattice, bool BinaryLattice, long ResultId)
{
    public const byte SpeculativeKind = 1;
    public const byte FinalKind = 2;
    public const int BinaryHeaderLength = 6;

    /// <summary>Decodes a frame; a malformed one is a 400 <see cref="ProblemException"/>.</summary>
    public static SessionMessage Parse(ReadOnlySpan<byte> frame, bool binaryFrame)
    {
        return binaryFrame ? ParseBinary(frame) : ParseText(frame);
    }

    private static SessionMessage ParseBinary(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < BinaryHeaderLength)
        {
            throw Bad($"A binary message needs a {BinaryHeaderLength}-byte header (kind, utterance, nbest) before the lattice; it has {frame.Length} bytes.");
        }

        SessionMessageType type = frame[0] switch
        {
            SpeculativeKind => SessionMessageType.Speculative,
            FinalKind => SessionMessageType.Final,
            _ => throw Bad($"Unknown binary message kind {frame[0]}; 1 is a speculative lattice, 2 a final one."),
        };
        uint utterance = BinaryPrimitives.ReadUInt32LittleEndian(frame[1..5]);
        return new SessionMessage(type, utterance, frame[5], frame[BinaryHeaderLength..].ToArray(), true, 0);
    }

    private static SessionMessage ParseText(ReadOnlySpan<byte> frame)
    {
        try
        {
            var reader = new Utf8JsonReader(frame);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out JsonElement typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                throw Bad("A text message must be a JSON object with a string \"type\".");
            }

            string type = typeElement.GetString()!;
            switch (type)
            {
                case "ack":
                    return new SessionMessage(SessionMessageType.Ack, 0, 0, [], false, Integer(root, "id", long.MaxValue));
                case "reset":
                    return new SessionMessage(SessionMessageType.Reset, (uint)Integer(root, "utterance", uint.MaxValue), 0, [], false, 0);
                case "speculative" or "final":
                    if (!root.TryGetProperty("lattice", out JsonElement lattice) || lattice.ValueKind != JsonValueKind.Object)
                    {
                        throw Bad($"A \"{type}\" message needs a \"lattice\" object (the JSON lattice).");
                    }

                    int nbest = root.TryGetProperty("nbest", out _) ? (int)Integer(root, "nbest", 255) : 0;
                    return new SessionMessage(type == "final" ? SessionMessageType.Final : SessionMessageType.Speculative,
                        (uint)Integer(root, "utterance", uint.MaxValue), nbest, JsonSerializer.SerializeToUtf8Bytes(lattice), false, 0);
                default:
                    throw Bad($"Unknown message type \"{Shorten(type)}\"; expected speculative, reset, final or ack.");
            }
        }
        catch (JsonException e)
        {
            throw Bad($"The text message is not valid JSON ({e.Message}).");
        }
    }

    private static long Integer(JsonElement root, string name, long max)
    {
        if (!root.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long n) || n < 0 || n > max)
        {
            throw Bad($"The message needs \"{name}\": an integer from 0 to {max}.");
        }

        return n;
    }

    private static ProblemException Bad(string detail) => new(400, "bad-message", "Bad session message", detail);

    private static string Shorten(string text) => text.Length <= 32 ? text : text[..32] + "…";
}
