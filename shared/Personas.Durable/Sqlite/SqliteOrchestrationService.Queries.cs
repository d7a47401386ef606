using System.Globalization;
using System.Text;
using DurableTask.Core;
using DurableTask.Core.Query;

namespace Personas.Durable.Sqlite;

public sealed partial class SqliteOrchestrationService
{
    /// <summary>
    /// A page of instances ordered by (created, id). The continuation token is the last row's key, so pages stay
    /// stable while instances are added.
    /// </summary>
    public Task<OrchestrationQueryResult> GetOrchestrationWithQueryAsync(OrchestrationQuery query,
        CancellationToken cancellationToken)
    {
        var pageSize = query.PageSize > 0 ? query.PageSize : 100;
        var where = new StringBuilder("WHERE 1 = 1");
        var args = new List<(string, object?)>();
        if (query.RuntimeStatus is { Count: > 0 } statuses)
            where.Append(" AND status IN (").Append(string.Join(",", statuses.Select(s => (int)s))).Append(')');
        if (query.CreatedTimeFrom is { } from)
        {
            where.Append(" AND created_at >= $from");
            args.Add(("$from", Ticks(from)));
        }
        if (query.CreatedTimeTo is { } to)
        {
            where.Append(" AND created_at <= $to");
            args.Add(("$to", Ticks(to)));
        }
        if (!string.IsNullOrEmpty(query.InstanceIdPrefix))
        {
            // substr instead of LIKE: instance ids may contain % and _.
            where.Append(" AND substr(id, 1, length($prefix)) = $prefix");
            args.Add(("$prefix", query.InstanceIdPrefix));
        }
        if (ParseToken(query.ContinuationToken) is { } after)
        {
            where.Append(" AND (created_at > $afterAt OR (created_at = $afterAt AND id > $afterId))");
            args.Add(("$afterAt", after.Created));
            args.Add(("$afterId", after.Id));
        }
        args.Add(("$limit", pageSize + 1));
        var rows = _db.Read(c => _db.Query(c,
            $"SELECT {SqliteSchema.InstanceColumns} FROM instances {where} ORDER BY created_at, id LIMIT $limit",
            r => ReadInstance(r, query.FetchInputsAndOutputs), [.. args]));
        string? token = null;
        if (rows.Count > pageSize)
        {
            rows.RemoveAt(pageSize);
            var last = rows[^1];
            token = $"{Ticks(last.CreatedTime).ToString(CultureInfo.InvariantCulture)}:" +
                last.OrchestrationInstance.InstanceId;
        }
        return Task.FromResult(new OrchestrationQueryResult(rows, token));
    }

    /// <summary>Purges a finished instance; an unfinished one is left alone and counts 0.</summary>
    public async Task<PurgeResult> PurgeInstanceStateAsync(string instanceId) =>
        new(await _db.WriteAsync(c =>
        {
            if (InstanceStatus(c, instanceId) is not { } status || !TerminalStatuses.Contains(status)) return 0;
            DeleteInstance(c, instanceId);
            return 1;
        }, erase: true));

    public async Task<PurgeResult> PurgeInstanceStateAsync(PurgeInstanceFilter purgeInstanceFilter)
    {
        var statuses = (purgeInstanceFilter.RuntimeStatus?.Select(s => (int)s) ?? TerminalStatuses)
            .Intersect(TerminalStatuses).ToList();
        if (statuses.Count == 0) return new PurgeResult(0);
        var to = purgeInstanceFilter.CreatedTimeTo is { } t ? Ticks(t) : long.MaxValue;
        return new PurgeResult(await PurgeWhere(
            $"status IN ({string.Join(",", statuses)}) AND created_at >= $from AND created_at <= $to",
            ("$from", Ticks(purgeInstanceFilter.CreatedTimeFrom)), ("$to", to)));
    }

    public Task PurgeOrchestrationHistoryAsync(DateTime thresholdDateTimeUtc,
        OrchestrationStateTimeRangeFilterType timeRangeFilterType)
    {
        var column = timeRangeFilterType switch
        {
            OrchestrationStateTimeRangeFilterType.OrchestrationCompletedTimeFilter => "completed_at",
            OrchestrationStateTimeRangeFilterType.OrchestrationLastUpdatedTimeFilter => "updated_at",
            _ => "created_at",
        };
        return PurgeWhere($"status IN ({string.Join(",", TerminalStatuses)}) AND {column} < $before",
            ("$before", Ticks(thresholdDateTimeUtc)));
    }

    private Task<int> PurgeWhere(string condition, params (string, object?)[] args) => _db.WriteAsync(c =>
    {
        var ids = _db.Query(c, $"SELECT id FROM instances WHERE {condition}", r => r.GetString(0), args);
        foreach (var id in ids) DeleteInstance(c, id);
        return ids.Count;
    }, erase: true);

    private static (long Created, string Id)? ParseToken(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !long.TryParse(token.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture,
                out var created))
            throw new ArgumentException($"Not a continuation token of this store: '{token}'.");
        return (created, token[(colon + 1)..]);
    }
}
