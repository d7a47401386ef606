using Microsoft.Data.Sqlite;
using Personas.Durable.History;
using Personas.Durable.Storage;

namespace Personas.Durable.Sqlite;

/// <summary>Maps rows to the store's records and back.</summary>
internal sealed class SqliteRows(JsonDataConverter json)
{
    public OrchestrationMetadata ReadInstance(SqliteDataReader r, bool withPayloads = true) => new()
    {
        InstanceId = r.GetString(0),
        Name = r.GetString(1),
        Version = r.GetStringOrNull(2),
        ExecutionId = r.GetString(3),
        RuntimeStatus = (OrchestrationRuntimeStatus)r.GetInt32(4),
        SerializedInput = withPayloads ? r.GetStringOrNull(5) : null,
        SerializedOutput = withPayloads ? r.GetStringOrNull(6) : null,
        SerializedCustomStatus = r.GetStringOrNull(7),
        FailureDetails = json.Deserialize<TaskFailureDetails>(r.GetStringOrNull(8)),
        Tags = json.Deserialize<Dictionary<string, string>>(r.GetStringOrNull(9)) ?? new Dictionary<string, string>(),
        Parent = json.Deserialize<ParentInstance>(r.GetStringOrNull(10)),
        CreatedAt = Time(r.GetInt64(11)),
        LastUpdatedAt = Time(r.GetInt64(12)),
        CompletedAt = r.GetInt64OrNull(13) is { } completed ? Time(completed) : null,
    };

    public OrchestrationMessage ReadMessage(SqliteDataReader r) =>
        new(r.GetString(1), r.GetString(2), r.GetStringOrNull(3), Event(r.GetString(5)), Time(r.GetInt64(4))) { Sequence = r.GetInt64(0) };

    public ActivityWorkItem ReadActivity(SqliteDataReader r, string lockOwner) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetString(4), r.GetStringOrNull(5), r.GetInt32(6), lockOwner);

    public HistoryEvent Event(string text) => json.Deserialize<HistoryEvent>(text)!;

    public string Text(HistoryEvent e) => json.Serialize(e)!;

    public string? Text(object? value) => json.Serialize(value);

    public static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    public static long Ticks(DateTimeOffset time) => time.UtcTicks;

    /// <summary>Inserts a message unless its instance is gone or it is a duplicate (same id). Returns true when inserted.</summary>
    public bool InsertMessage(SqliteConnection c, OrchestrationMessage m) => c.Execute("""
        INSERT OR IGNORE INTO messages(instance_id, id, execution_id, control, visible_at, event)
        SELECT $instance, $id, $execution, $control, $visible, $event WHERE EXISTS (SELECT 1 FROM instances WHERE id = $instance)
        """,
        ("$instance", m.InstanceId), ("$id", m.Id), ("$execution", m.ExecutionId), ("$control", m.Event.IsControl ? 1 : 0),
        ("$visible", Ticks(m.VisibleAt)), ("$event", Text(m.Event))) == 1;

    /// <summary>Inserts an instance and its start message unless the id is taken. Returns true when created.</summary>
    public bool InsertInstance(SqliteConnection c, NewInstance instance)
    {
        var m = instance.Metadata;
        var created = c.Execute("""
            INSERT OR IGNORE INTO instances(id, name, version, execution_id, status, input, tags, parent, created_at, updated_at)
            VALUES ($id, $name, $version, $execution, $status, $input, $tags, $parent, $created, $created)
            """,
            ("$id", m.InstanceId), ("$name", m.Name), ("$version", m.Version), ("$execution", m.ExecutionId), ("$status", (int)m.RuntimeStatus),
            ("$input", m.SerializedInput), ("$tags", Text(m.Tags)), ("$parent", Text(m.Parent)), ("$created", Ticks(m.CreatedAt))) == 1;
        if (created) InsertMessage(c, instance.StartMessage);
        return created;
    }
}
