using System.Text.Json;

namespace EdgeVoice.Cloud.Client;

/// <summary>A lattice rescored by the service: the n-best list, best first.</summary>
/// <param name="Utterance">The lattice's utterance id (over HTTP) or the session's utterance number.</param>
/// <param name="Engine">The language model that ranked it.</param>
/// <param name="NBest">Hypotheses, best first (at least one).</param>
/// <param name="ServerMilliseconds">Rescoring time on the service.</param>
public sealed record CloudRescoringResult(string Utterance, string Engine, IReadOnlyList<CloudHypothesis> NBest, double ServerMilliseconds)
{
    /// <summary>The best hypothesis's text.</summary>
    public string Text => NBest.Count > 0 ? NBest[0].Text : "";

    /// <summary>Reads the n-best fields of a service answer or session result.</summary>
    /// <exception cref="CloudServiceException">The JSON does not have the expected shape.</exception>
    internal static CloudRescoringResult Parse(JsonElement root)
    {
        try
        {
            var nbest = new List<CloudHypothesis>();
            foreach (JsonElement h in root.GetProperty("nbest").EnumerateArray())
            {
                nbest.Add(new CloudHypothesis(
                    h.GetProperty("text").GetString() ?? "",
                    h.GetProperty("words").EnumerateArray().Select(w => w.GetString() ?? "").ToArray(),
                    Score(h, "acoustic"), Score(h, "lm"), Score(h, "total")));
            }

            string utterance = root.TryGetProperty("utterance", out JsonElement u) ? u.ToString() : "";
            return new CloudRescoringResult(utterance, root.GetProperty("engine").GetString() ?? "",
                nbest, root.GetProperty("elapsed_ms").GetDouble());
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new CloudServiceException(0, "invalid-answer", $"The service's answer does not have the expected shape ({e.Message}).");
        }
    }

    private static double Score(JsonElement h, string name) =>
        h.GetProperty(name) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : double.NaN;
}
