using System.Text.Json;

namespace EdgeVoice.Cloud.Sessions;

/// <summary>The JSON text messages the service sends in a session (docs/cloud-service.md, "Session protocol").</summary>
internal static class ServerMessages
{
    /// <summary><c>{"type":"session","session":ID,"resumed":bool,"retention_s":S}</c>: first message of every connection.</summary>
    public static byte[] Session(string id, bool resumed, TimeSpan retention) => Write(json =>
    {
        json.WriteString("type", "session");
        json.WriteString("session", id);
        json.WriteBoolean("resumed", resumed);
        json.WriteNumber("retention_s", retention.TotalSeconds);
    });

    /// <summary><c>{"type":"result","id":N,"utterance":U, ...n-best fields}</c>: a final result, kept until acknowledged.</summary>
    public static byte[] Result(long id, uint utterance, RescoreOutcome outcome) => Write(json =>
    {
        json.WriteString("type", "result");
        json.WriteNumber("id", id);
        json.WriteNumber("utterance", utterance);
        outcome.WriteFields(json);
    });

    /// <summary><c>{"type":"speculative_result","utterance":U, ...}</c>: the rescored speculative lattice (not kept).</summary>
    public static byte[] SpeculativeResult(uint utterance, RescoreOutcome outcome) => Write(json =>
    {
        json.WriteString("type", "speculative_result");
        json.WriteNumber("utterance", utterance);
        outcome.WriteFields(json);
    });

    /// <summary>
    /// <c>{"type":"error","id":N?,"utterance":U?,"status":S,"problem":TYPE,"title":T,"detail":D}</c>. A final lattice's error
    /// carries a result id and is kept like a result; other errors have no id.
    /// </summary>
    public static byte[] Error(ProblemException problem, long? id, uint? utterance) => Write(json =>
    {
        json.WriteString("type", "error");
        if (id is { } i)
        {
            json.WriteNumber("id", i);
        }

        if (utterance is { } u)
        {
            json.WriteNumber("utterance", u);
        }

        json.WriteNumber("status", problem.Status);
        json.WriteString("problem", ProblemWriter.TypeOf(problem.Kind));
        json.WriteString("title", problem.Title);
        json.WriteString("detail", problem.Message);
    });

    private static byte[] Write(Action<Utf8JsonWriter> fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            fields(json);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
