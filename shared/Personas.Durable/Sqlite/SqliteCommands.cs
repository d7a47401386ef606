using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Personas.Durable.Sqlite;

/// <summary>
/// Small helpers that keep the store's SQL readable. On a connection registered with <see cref="CacheStatements"/>
/// (the store's single writer), commands are kept and reused, so each SQL text is prepared once, not per call.
/// </summary>
public static class SqliteCommands
{
    private static readonly ConditionalWeakTable<SqliteConnection, StatementCache> Cached = new();

    public static void CacheStatements(this SqliteConnection connection) => Cached.AddOrUpdate(connection, new StatementCache());

    /// <summary>Begins a transaction that cached commands on this connection will run in.</summary>
    public static SqliteTransaction BeginImmediate(this SqliteConnection connection)
    {
        var transaction = connection.BeginTransaction(deferred: false);
        if (Cached.TryGetValue(connection, out var cache)) cache.Transaction = transaction;
        return transaction;
    }

    public static int Execute(this SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.Command(sql, parameters, out var owned);
        try { return command.ExecuteNonQuery(); }
        finally { if (owned) command.Dispose(); }
    }

    public static List<T> Query<T>(this SqliteConnection connection, string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        var command = connection.Command(sql, parameters, out var owned);
        try
        {
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read()) rows.Add(read(reader));
            return rows;
        }
        finally { if (owned) command.Dispose(); }
    }

    public static string? GetStringOrNull(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? GetInt64OrNull(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    private static SqliteCommand Command(this SqliteConnection connection, string sql, (string Name, object? Value)[] parameters, out bool owned)
    {
        SqliteCommand? command = null;
        owned = !Cached.TryGetValue(connection, out var cache);
        if (cache is not null)
        {
            if (!cache.Commands.TryGetValue(sql, out command))
            {
                command = cache.Commands[sql] = connection.CreateCommand();
                command.CommandText = sql;
            }
            command.Transaction = cache.Transaction;
        }
        if (command is null)
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
        }
        command.Parameters.Clear();
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private sealed class StatementCache
    {
        public Dictionary<string, SqliteCommand> Commands { get; } = new(StringComparer.Ordinal);
        public SqliteTransaction? Transaction { get; set; }
    }
}
