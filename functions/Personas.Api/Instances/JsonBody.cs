using System.Text.Json;
using System.Text.Json.Nodes;
using Personas.Api.Problems;

namespace Personas.Api.Instances;

/// <summary>
/// Reads an optional JSON body with a size bound, turning every way it can be wrong into a problem that names the
/// body, or, for text that breaks <see cref="JsonTextRules"/>, every field at fault.
/// </summary>
internal static class JsonBody
{
    public static async Task<(JsonNode? Value, IResult? Problem)> ReadAsync(HttpContext http, int maxBytes)
    {
        if (await ReadBytesAsync(http, maxBytes) is not { } bytes) return (null, TooLarge(http, maxBytes));
        if (bytes.Length == 0) return (null, null);
        if (http.Request.ContentType is { } type
            && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            && !type.Contains("+json", StringComparison.OrdinalIgnoreCase))
            return (null, ProblemWriter.Result(http, StatusCodes.Status415UnsupportedMediaType,
                "Unsupported media type", $"Send the body as application/json, not {Clip(type)}.", "body"));
        var options = new JsonDocumentOptions { MaxDepth = 64 };
        try
        {
            // Checked as a document first: reading a node's string later would throw on a lone surrogate (a 500).
            using (var document = JsonDocument.Parse(bytes, options))
                if (JsonTextRules.Check(document.RootElement) is { Count: > 0 } problems)
                    return (null, ProblemWriter.Invalid(http, problems));
            return (JsonNode.Parse(bytes, documentOptions: options), null);
        }
        catch (JsonException ex)
        {
            return (null, ProblemWriter.Invalid(http, "body",
                $"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})."));
        }
    }

    /// <summary>
    /// A signed provider delivery as a JSON object. Only valid Unicode is required (a lone surrogate would throw when
    /// read later); control characters pass, since providers put logs and messages in their text.
    /// </summary>
    public static (JsonObject? Value, IResult? Problem) ReadDelivery(HttpContext http, byte[] body)
    {
        try
        {
            using (var document = JsonDocument.Parse(body))
                if (JsonTextRules.Check(document.RootElement, unicodeOnly: true) is { Count: > 0 } problems)
                    return (null, ProblemWriter.Invalid(http, problems));
            if (JsonNode.Parse(body) is JsonObject delivery) return (delivery, null);
        }
        catch (JsonException) { }
        return (null, ProblemWriter.Invalid(http, "body", "The delivery is not a JSON object."));
    }

    /// <summary>
    /// The raw body, or null when it is over <paramref name="maxBytes"/> (read no further than that).
    /// </summary>
    public static async Task<byte[]?> ReadBytesAsync(HttpContext http, int maxBytes)
    {
        if (http.Request.ContentLength > maxBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    public static IResult TooLarge(HttpContext http, int maxBytes) =>
        ProblemWriter.Result(http, StatusCodes.Status413PayloadTooLarge, "Body too large",
            $"The body may be at most {maxBytes:N0} bytes.", "body");

    /// <summary>A caller's header, echoed back short and without control characters.</summary>
    private static string Clip(string text)
    {
        var visible = new string(text.Where(c => !char.IsControl(c)).Take(80).ToArray());
        return visible.Length < text.Length ? visible + "…" : visible;
    }
}
