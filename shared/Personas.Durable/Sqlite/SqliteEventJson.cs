using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using DurableTask.Core;
using DurableTask.Core.History;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;

namespace Personas.Durable.Sqlite;

/// <summary>
/// History events as JSON, typed by their <see cref="EventType"/> rather than by CLR type name: the sidecar hands us
/// subclasses of its own (GrpcSubOrchestrationInstanceCreatedEvent) and protobuf collections (MapField tags) that a
/// type-named document could not load again, and one unloadable row would poison an instance forever. Every event is
/// stored as its DurableTask.Core base type, so the rows never depend on the sidecar's assembly.
/// The event type is written first, so a row is read in one pass; rows written before that are still read.
/// </summary>
internal static class SqliteEventJson
{
    private const string TypeFirst = "{\"EventType\":";

    private static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        ContractResolver = new EventTypeFirstResolver(),
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
        if (e is not ExecutionStartedEvent { Tags: not null })
        {
            // Straight to text; the document below costs a second pass.
            using var text = new StringWriter(CultureInfo.InvariantCulture);
            using (var writer = new JsonTextWriter(text)) Serializer.Serialize(writer, e);
            var json = text.ToString();
            if (json.StartsWith(TypeFirst, StringComparison.Ordinal)) return json;
        }
        return WriteDocument(e);
    }

    /// <summary>Through a JSON document, which can set the event type and replace foreign tag maps.</summary>
    internal static string WriteDocument(HistoryEvent e)
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
        if (!json.StartsWith(TypeFirst, StringComparison.Ordinal)) return ReadDocument(json);
        var end = json.IndexOfAny([',', '}'], TypeFirst.Length);
        var kind = (EventType)int.Parse(json.AsSpan(TypeFirst.Length, end - TypeFirst.Length),
            NumberStyles.Integer, CultureInfo.InvariantCulture);
        var e = Create(TypeOf(kind));
        using var reader = new JsonTextReader(new StringReader(json));
        Serializer.Populate(reader, e);
        return e;
    }

    private static HistoryEvent ReadDocument(string json)
    {
        var document = JObject.Parse(json);
        var e = Create(TypeOf((EventType)document.Value<int>("EventType")));
        using var reader = document.CreateReader();
        Serializer.Populate(reader, e);
        return e;
    }

    private static Type TypeOf(EventType kind) => Types.TryGetValue(kind, out var type)
        ? type
        : throw new InvalidOperationException($"Unknown history event type {kind}.");

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

    // One constructor call per row read; reflection's Invoke was a visible share of a claim.
    private static readonly ConcurrentDictionary<Type, Func<HistoryEvent>> Factories = new();

    private static HistoryEvent Create(Type type) => Factories.GetOrAdd(type, static t =>
    {
        var ctor = t.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic,
            Type.EmptyTypes);
        return ctor is null
            ? () => (HistoryEvent)RuntimeHelpers.GetUninitializedObject(t)
            : Expression.Lambda<Func<HistoryEvent>>(Expression.New(ctor)).Compile();
    })();

    /// <summary>Json.NET's usual contract, with the event type moved to the front.</summary>
    private sealed class EventTypeFirstResolver : DefaultContractResolver
    {
        protected override IList<JsonProperty> CreateProperties(Type type, MemberSerialization memberSerialization) =>
            [.. base.CreateProperties(type, memberSerialization)
                .OrderBy(p => p.PropertyName == nameof(HistoryEvent.EventType) ? 0 : 1)];
    }
}
