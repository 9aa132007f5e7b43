using Microsoft.Net.Http.Headers;

namespace EdgeVoice.Cloud;

/// <summary>The content types of lattices (docs/cloud-service.md).</summary>
public static class LatticeMediaTypes
{
    /// <summary>The compact binary encoding of docs/lattice-format.md.</summary>
    public const string Binary = "application/vnd.edgevoice.lattice";

    /// <summary>The JSON form of docs/lattice-format.md.</summary>
    public const string Json = "application/json";

    /// <summary>What POST /v1/rescore accepts, for 415 answers and the Accept-Post header.</summary>
    public const string Accepted = Binary + ", application/octet-stream, " + Json + ", application/vnd.edgevoice.lattice+json";

    /// <summary>True for a binary lattice, false for JSON, null for any other (or a missing or unparsable) content type.</summary>
    internal static bool? IsBinary(string? contentType)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out MediaTypeHeaderValue? parsed) || parsed.MediaType.Value is not { } media)
        {
            return null;
        }

        if (media.Equals(Binary, StringComparison.OrdinalIgnoreCase) || media.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (media.Equals(Json, StringComparison.OrdinalIgnoreCase) || media.Equals("application/vnd.edgevoice.lattice+json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return null;
    }
}
