using System.Text.Json;
using System.Text.Json.Serialization;

namespace Personas.Durable;

/// <summary>Serializes inputs, outputs and events. camelCase JSON, the same shape the HTTP API shows.</summary>
public sealed class JsonDataConverter(JsonSerializerOptions options)
{
    public static JsonSerializerOptions DefaultOptions { get; } = CreateOptions();
    public static JsonDataConverter Default { get; } = new(DefaultOptions);

    public JsonSerializerOptions Options { get; } = options;

    public string? Serialize(object? value) => value is null ? null : JsonSerializer.Serialize(value, value.GetType(), Options);

    public T? Deserialize<T>(string? json) => json is null ? default : JsonSerializer.Deserialize<T>(json, Options);

    public object? Deserialize(string? json, Type type) => json is null ? null : JsonSerializer.Deserialize(json, type, Options);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
