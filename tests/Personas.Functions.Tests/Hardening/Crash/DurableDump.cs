using System.Text;
using Microsoft.Data.Sqlite;

namespace Personas.Functions.Tests.Hardening.Crash;

/// <summary>
/// What the embedded durable store holds for every unfinished instance: its row, the kinds of its history events, its
/// inbox and its activity work items with their leases. Printed when a chaos run hangs, so the cause can be read.
/// </summary>
internal static class DurableDump
{
    public static string Unfinished(string path)
    {
        if (!File.Exists(path)) return "(no durable.db)";
        try
        {
            using var db = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
            db.Open();
            var now = DateTime.UtcNow.Ticks;
            var text = new StringBuilder($"durable store at {DateTime.UtcNow:O}:\n");
            // Status 0 Running, 4 ContinuedAsNew, 6 Pending (OrchestrationStatus).
            foreach (var id in Column(db, "SELECT id FROM instances WHERE status IN (0, 4, 6) ORDER BY created_at"))
            {
                text.AppendLine(Line(db, "SELECT 'instance ' || id || ' ' || name || ' status ' || status || ' exec '"
                    + " || execution_id || ' lock ' || coalesce(lock_token, '-') || ' lock_in_s ' || "
                    + "((lock_until - $now) / 10000000) || ' abandons ' || abandons || ' history ' || history_count "
                    + "FROM instances WHERE id = $id", id, now));
                text.AppendLine("  history: " + string.Join(" ", Column(db,
                    "SELECT seq || ':' || json_extract(event, '$.EventType') || coalesce(':' || "
                    + "json_extract(event, '$.EventId'), '') || coalesce(':' || "
                    + "json_extract(event, '$.TaskScheduledId'),"
                    + " '') FROM history WHERE instance_id = $id ORDER BY seq", id, now)));
                foreach (var message in Column(db,
                    "SELECT 'inbox ' || seq || ' type ' || event_type || ' visible_in_s '"
                    + " || ((visible_at - $now) / 10000000) || ' ' || substr(event, 1, 200) FROM messages "
                    + "WHERE instance_id = $id ORDER BY seq", id, now))
                    text.AppendLine("  " + message);
                foreach (var activity in Column(db, "SELECT 'activity task ' || task_id || ' lock ' || "
                    + "coalesce(lock_token, '-') || ' lock_in_s ' || ((lock_until - $now) / 10000000) || ' abandons '"
                    + " || abandons || ' ' || substr(event, 1, 200) FROM activities WHERE instance_id = $id", id, now))
                    text.AppendLine("  " + activity);
            }
            return text.ToString();
        }
        catch (SqliteException ex) { return $"(durable.db unreadable: {ex.Message})"; }
    }

    private static string Line(SqliteConnection db, string sql, string id, long now) =>
        Column(db, sql, id, now).FirstOrDefault() ?? "";

    private static List<string> Column(SqliteConnection db, string sql, string? id = null, long now = 0)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", (object?)id ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", now);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(reader.IsDBNull(0) ? "" : reader.GetString(0));
        return rows;
    }
}
