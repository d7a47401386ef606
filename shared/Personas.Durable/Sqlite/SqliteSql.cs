using Microsoft.Data.Sqlite;

namespace Personas.Durable.Sqlite;

/// <summary>Small helpers that keep the service's SQL readable.</summary>
internal static class SqliteSql
{
    public static int Exec(this SqliteDb db, SqliteConnection c, string sql, params (string, object?)[] args)
    {
        var command = Prepare(db, c, sql, args);
        try { return command.ExecuteNonQuery(); }
        finally { if (!db.IsCached(c)) command.Dispose(); }
    }

    public static List<T> Query<T>(this SqliteDb db, SqliteConnection c, string sql, Func<SqliteDataReader, T> read,
        params (string, object?)[] args)
    {
        var command = Prepare(db, c, sql, args);
        try
        {
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read()) rows.Add(read(reader));
            return rows;
        }
        finally { if (!db.IsCached(c)) command.Dispose(); }
    }

    public static string? Str(this SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static long? Long(this SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    private static SqliteCommand Prepare(SqliteDb db, SqliteConnection c, string sql, (string, object?)[] args)
    {
        var command = db.Command(c, sql);
        foreach (var (name, value) in args) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
