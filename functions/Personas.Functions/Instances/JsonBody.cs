using System.Text.Json;
using System.Text.Json.Nodes;
using Personas.Functions.Problems;

namespace Personas.Functions.Instances;

/// <summary>Reads an optional JSON body with a size bound, turning every way it can be wrong into a problem that names the body.</summary>
internal static class JsonBody
{
    public static async Task<(JsonNode? Value, IResult? Problem)> ReadAsync(HttpContext http, int maxBytes)
    {
        if (http.Request.ContentLength > maxBytes) return (null, TooLarge(http, maxBytes));
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes) return (null, TooLarge(http, maxBytes));
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) return (null, null);
        if (http.Request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) && !type.Contains("+json", StringComparison.OrdinalIgnoreCase))
            return (null, ProblemWriter.Result(http, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"Send the body as application/json, not {type}.", "body"));
        try
        {
            return (JsonNode.Parse(buffer.ToArray(), documentOptions: new JsonDocumentOptions { MaxDepth = 64 }), null);
        }
        catch (JsonException ex)
        {
            return (null, ProblemWriter.Invalid(http, "body", $"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})."));
        }
    }

    private static IResult TooLarge(HttpContext http, int maxBytes) =>
        ProblemWriter.Result(http, StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body may be at most {maxBytes:N0} bytes.", "body");
}
