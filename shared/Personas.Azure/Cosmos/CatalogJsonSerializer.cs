using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;
using Personas.Durable;

namespace Personas.Azure.Cosmos;

/// <summary>
/// Lets the Cosmos SDK read and write documents with the same camelCase System.Text.Json settings as the rest of the
/// system (<see cref="PersonasDataConverter"/>), so a catalog document's body looks like SQLite's <c>doc</c> column.
/// One difference: Cosmos keeps numbers as doubles, so 64-bit integers beyond 2^53 (photo hashes, seeds) are written
/// as strings; both forms are read back.
/// </summary>
internal sealed class CatalogJsonSerializer : CosmosSerializer
{
    public CatalogJsonSerializer(JsonSerializerOptions baseOptions)
    {
        var options = new JsonSerializerOptions(baseOptions);
        options.Converters.Add(new ExactInt64Converter());
        options.Converters.Add(new ExactUInt64Converter());
        options.MakeReadOnly(populateMissingResolver: true);
        Options = options;
    }

    public JsonSerializerOptions Options { get; }

    public override T FromStream<T>(Stream stream)
    {
        if (typeof(Stream).IsAssignableFrom(typeof(T))) return (T)(object)stream;
        using (stream)
        {
            if (stream.CanSeek && stream.Length == 0) return default!;
            return JsonSerializer.Deserialize<T>(stream, Options)!;
        }
    }

    public override Stream ToStream<T>(T input)
    {
        var stream = new MemoryStream();
        JsonSerializer.Serialize(stream, input, typeof(T) == typeof(object) ? input?.GetType() ?? typeof(object)
            : typeof(T), Options);
        stream.Position = 0;
        return stream;
    }

    // Doubles hold integers exactly up to 2^53.
    private const long MaxExactDouble = (1L << 53) - 1;

    private sealed class ExactInt64Converter : JsonConverter<long>
    {
        public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String
                ? long.Parse(reader.GetString()!, CultureInfo.InvariantCulture) : reader.GetInt64();

        public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options)
        {
            if (value is >= -MaxExactDouble and <= MaxExactDouble) writer.WriteNumberValue(value);
            else writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private sealed class ExactUInt64Converter : JsonConverter<ulong>
    {
        public override ulong Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String
                ? ulong.Parse(reader.GetString()!, CultureInfo.InvariantCulture) : reader.GetUInt64();

        public override void Write(Utf8JsonWriter writer, ulong value, JsonSerializerOptions options)
        {
            if (value <= MaxExactDouble) writer.WriteNumberValue(value);
            else writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }
}
