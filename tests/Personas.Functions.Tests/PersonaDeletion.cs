using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests;

/// <summary>Deleting a persona through the API and checking that nothing of it is left.</summary>
internal static class PersonaDeletion
{
    /// <summary>DELETE (202), then waits for the deletion workflow and returns its summary.</summary>
    public static async Task<JsonObject> DeleteAndWaitAsync(HttpClient client, string personaId)
    {
        var accepted = await Json(await client.DeleteAsync($"/api/personas/{personaId}"), 202);
        var statusUri = accepted["statusQueryGetUri"]!.GetValue<string>();
        var done = await Eventually.GetAsync(async () =>
        {
            var response = await client.GetAsync(statusUri); // 202 while it runs, 200 once it has finished
            var status = await Json(response, (int)response.StatusCode == 202 ? 202 : 200);
            return status["runtimeStatus"]!.GetValue<string>() is "Completed" or "Failed" ? status : null;
        }, $"deletion of {personaId}");
        Assert.True(done["runtimeStatus"]!.GetValue<string>() == "Completed", done.ToJsonString());
        return done["output"]!.AsObject();
    }

    /// <summary>
    /// Files under the data directory whose path or content names the persona, and database rows (every table, every
    /// text column) that do, except audit entries.
    /// </summary>
    public static List<string> Leftovers(string dataDir, string personaId)
    {
        var left = new List<string>();
        foreach (var file in Directory.EnumerateFiles(dataDir, "*", SearchOption.AllDirectories).Where(f => !f.Contains("personas.db")))
            if (file.Contains(personaId) || File.ReadAllText(file).Contains(personaId)) left.Add(file);
        using var db = new SqliteConnection($"Data Source={Path.Combine(dataDir, "personas.db")}");
        db.Open();
        var tables = Query(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", r => r.GetString(0));
        foreach (var table in tables.Where(t => t != "audit"))
        {
            var columns = Query(db, $"PRAGMA table_info({table})", r => r.GetString(1));
            var where = string.Join(" OR ", columns.Select(c => $"CAST({c} AS TEXT) LIKE $id"));
            var count = Query(db, $"SELECT COUNT(*) FROM {table} WHERE {where}", r => r.GetInt64(0), personaId)[0];
            if (count > 0) left.Add($"{count} row(s) in {table}");
        }
        return left;
    }

    /// <summary>
    /// The database files (main, WAL) whose raw bytes still contain <paramref name="text"/>: deleted rows linger in
    /// free pages and in the WAL unless they are overwritten and checkpointed.
    /// </summary>
    public static List<string> RawDatabaseHits(string dataDir, string text)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(text);
        return Directory.EnumerateFiles(dataDir, "personas.db*")
            .Where(file => ReadShared(file).AsSpan().IndexOf(needle) >= 0).Select(Path.GetFileName).ToList()!;
    }

    private static byte[] ReadShared(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static List<T> Query<T>(SqliteConnection db, string sql, Func<SqliteDataReader, T> read, string? personaId = null)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        if (personaId is not null) command.Parameters.AddWithValue("$id", $"%{personaId}%");
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(read(reader));
        return rows;
    }
}
