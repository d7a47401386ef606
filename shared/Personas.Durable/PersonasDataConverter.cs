using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.DurableTask;

namespace Personas.Durable;

/// <summary>
/// Serializes inputs, outputs, events and custom status as camelCase JSON: the same shape the HTTP API shows, so a
/// status payload can pass through to a caller unchanged.
/// </summary>
public sealed class PersonasDataConverter(JsonSerializerOptions options) : DataConverter
{
    public static JsonSerializerOptions DefaultOptions { get; } = CreateOptions();

    public static PersonasDataConverter Default { get; } = new(DefaultOptions);

    public JsonSerializerOptions Options { get; } = options;

    public override string? Serialize(object? value) =>
        value is null ? null : JsonSerializer.Serialize(value, value.GetType(), Options);

    public override object? Deserialize(string? data, Type targetType) =>
        data is null ? null : JsonSerializer.Deserialize(data, targetType, Options);

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
