using System.Collections.Frozen;
using System.Reflection;
using System.Runtime.CompilerServices;
using DurableTask.Core;
using DurableTask.Core.History;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Personas.Durable.Sqlite;

/// <summary>
/// History events as JSON, typed by their <see cref="EventType"/> rather than by CLR type name: the sidecar hands us
/// subclasses of its own (GrpcSubOrchestrationInstanceCreatedEvent) and protobuf collections (MapField tags) that a
/// type-named document could not load again, and one unloadable row would poison an instance forever. Every event is
/// stored as its DurableTask.Core base type, so the rows never depend on the sidecar's assembly.
/// </summary>
internal static class SqliteEventJson
{
    private static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        TypeNameHandling = TypeNameHandling.None,
        NullValueHandling = NullValueHandling.Ignore,
        DateParseHandling = DateParseHandling.DateTime,
        DateTimeZoneHandling = DateTimeZoneHandling.Utc,
        ConstructorHandling = ConstructorHandling.AllowNonPublicDefaultConstructor,
    });

    private static readonly FrozenDictionary<EventType, Type> Types = typeof(HistoryEvent).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(HistoryEvent)) && !t.IsAbstract && t.IsPublic
            && t.Namespace == "DurableTask.Core.History")
        .Select(t => (Type: t, Kind: ((HistoryEvent)RuntimeHelpers.GetUninitializedObject(t)).EventType))
        .GroupBy(x => x.Kind)
        .ToFrozenDictionary(g => g.Key,
            g => g.OrderByDescending(x => x.Type.Name == $"{x.Kind}Event").First().Type);

    public static string Write(HistoryEvent e)
    {
        var document = JObject.FromObject(e, Serializer);
        document["EventType"] = (int)e.EventType;
        // Protobuf maps and other foreign dictionaries become plain string maps.
        if (e is ExecutionStartedEvent { Tags: { } tags })
            document["Tags"] = JObject.FromObject(new Dictionary<string, string>(tags), Serializer);
        return document.ToString(Formatting.None);
    }

    public static HistoryEvent Read(string json)
    {
        var document = JObject.Parse(json);
        var kind = (EventType)document.Value<int>("EventType");
        if (!Types.TryGetValue(kind, out var type))
            throw new InvalidOperationException($"Unknown history event type {kind}.");
        var e = Create(type);
        using var reader = document.CreateReader();
        Serializer.Populate(reader, e);
        return e;
    }

    /// <summary>The event as its DurableTask.Core type (a sidecar subclass is copied into its base type).</summary>
    public static HistoryEvent Normalize(HistoryEvent e) =>
        e.GetType() == Types.GetValueOrDefault(e.EventType) ? e : Read(Write(e));

    public static string WriteFailure(FailureDetails? failure) =>
        failure is null ? "" : JsonConvert.SerializeObject(failure);

    public static FailureDetails? ReadFailure(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonConvert.DeserializeObject<FailureDetails>(json);

    public static string? WriteObject(object? value) => value is null ? null : JsonConvert.SerializeObject(value);

    public static T? ReadObject<T>(string? json) where T : class =>
        json is null ? null : JsonConvert.DeserializeObject<T>(json);

    private static HistoryEvent Create(Type type)
    {
        var ctor = type.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic,
            Type.EmptyTypes);
        return (HistoryEvent)(ctor?.Invoke(null) ?? RuntimeHelpers.GetUninitializedObject(type));
    }
}
