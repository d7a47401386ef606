using System.Text;
using Microsoft.Data.Sqlite;
using Personas.Durable.Storage;

namespace Personas.Durable.Sqlite;

/// <summary>Instance queries with keyset paging on (created_at, id), so pages stay stable while instances are added.</summary>
internal static class SqliteInstanceQuery
{
    public static InstancePage Run(SqliteConnection c, InstanceQuery query, SqliteRows rows)
    {
        var where = new List<string>();
        var parameters = new List<(string, object?)>();
        if (query.Statuses is { Count: > 0 } statuses)
            where.Add($"status IN ({string.Join(",", statuses.Select(s => (int)s))})");
        if (query.Name is { } name) { where.Add("name = $name COLLATE NOCASE"); parameters.Add(("$name", name)); }
        if (query.CreatedFrom is { } from) { where.Add("created_at >= $from"); parameters.Add(("$from", SqliteRows.Ticks(from))); }
        if (query.CreatedTo is { } to) { where.Add("created_at < $to"); parameters.Add(("$to", SqliteRows.Ticks(to))); }
        if (query.InstanceIdPrefix is { } prefix) { where.Add("substr(id, 1, length($prefix)) = $prefix"); parameters.Add(("$prefix", prefix)); }
        var tagIndex = 0;
        foreach (var (key, value) in query.Tags ?? new Dictionary<string, string>())
        {
            where.Add($"json_extract(tags, $tagPath{tagIndex}) = $tagValue{tagIndex}");
            parameters.Add(($"$tagPath{tagIndex}", $"$.\"{key.Replace("\"", "\\\"")}\""));
            parameters.Add(($"$tagValue{tagIndex}", value));
            tagIndex++;
        }
        if (Decode(query.ContinuationToken) is { } after)
        {
            where.Add("(created_at, id) > ($afterCreated, $afterId)");
            parameters.Add(("$afterCreated", after.Created));
            parameters.Add(("$afterId", after.Id));
        }
        var pageSize = Math.Clamp(query.PageSize, 1, 1000);
        parameters.Add(("$take", pageSize + 1));
        var sql = $"SELECT {SqliteSchema.InstanceColumns} FROM instances {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")} ORDER BY created_at, id LIMIT $take";
        var found = c.Query(sql, r => rows.ReadInstance(r, query.FetchInputsAndOutputs), parameters.ToArray());
        if (found.Count <= pageSize) return new InstancePage(found, null);
        var page = found.Take(pageSize).ToList();
        var last = page[^1];
        return new InstancePage(page, Encode(SqliteRows.Ticks(last.CreatedAt), last.InstanceId));
    }

    private static string Encode(long created, string id) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{created}|{id}"));

    private static (long Created, string Id)? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var bar = text.IndexOf('|');
            if (bar > 0 && long.TryParse(text[..bar], out var created)) return (created, text[(bar + 1)..]);
        }
        catch (FormatException)
        {
        }
        throw new ArgumentException("The continuation token is not valid.", nameof(token));
    }
}
