using System.Text.Json.Serialization;

namespace EdgeVoice.Cloud;

/// <summary>The shape of a POST /v1/rescore answer, for the OpenAPI document (the service writes it with <see cref="RescoreOutcome.ToJson"/>).</summary>
/// <param name="Utterance">The lattice's utterance id.</param>
/// <param name="Engine">The rescoring engine (language model) that ranked it.</param>
/// <param name="ElapsedMs">Rescoring time in milliseconds.</param>
/// <param name="NBest">Hypotheses, best first.</param>
public sealed record NBestResponse(
    [property: JsonPropertyName("utterance")] string Utterance,
    [property: JsonPropertyName("engine")] string Engine,
    [property: JsonPropertyName("elapsed_ms")] double ElapsedMs,
    [property: JsonPropertyName("nbest")] IReadOnlyList<NBestEntry> NBest);

/// <summary>One ranked hypothesis of a <see cref="NBestResponse"/>; a score that is not finite is null.</summary>
/// <param name="Rank">1 for the best.</param>
/// <param name="Text">The words joined by spaces.</param>
/// <param name="Words">The words.</param>
/// <param name="Acoustic">Acoustic log score.</param>
/// <param name="Lm">Language-model log probability.</param>
/// <param name="Total">acoustic + weight × lm + bonus × words.</param>
public sealed record NBestEntry(
    [property: JsonPropertyName("rank")] int Rank,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("words")] IReadOnlyList<string> Words,
    [property: JsonPropertyName("acoustic")] double? Acoustic,
    [property: JsonPropertyName("lm")] double? Lm,
    [property: JsonPropertyName("total")] double? Total);
