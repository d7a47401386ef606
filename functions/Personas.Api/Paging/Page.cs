using System.Text.Json.Serialization;
using Personas.Api.Problems;

namespace Personas.Api.Paging;

/// <summary>
/// One page of a list, the same envelope on every list route: the items, how many there are in all, where this page
/// starts, its size, and the link to the next page (null on the last, and present).
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Offset, int Limit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Next);

/// <summary>The offset and limit query parameters every list route reads, checked alike.</summary>
public readonly record struct PageRequest(int Offset, int Limit)
{
    public const int DefaultLimit = 20, MaxLimit = 100;

    /// <summary>The page asked for, or a 400 naming offset or limit.</summary>
    public static (PageRequest Page, IResult? Problem) Read(HttpContext http, int? offset, int? limit)
    {
        if (offset is < 0) return (default, ProblemWriter.Invalid(http, "offset", "must be 0 or more."));
        if (limit is < 1 or > MaxLimit)
            return (default, ProblemWriter.Invalid(http, "limit", $"must be 1–{MaxLimit}."));
        return (new PageRequest(offset ?? 0, limit ?? DefaultLimit), null);
    }

    /// <summary>
    /// The page of a list already read whole (an owner's personas, photos, generations and audit entries are few);
    /// <paramref name="path"/> and <paramref name="query"/> (name, value pairs; nulls left out) build the next link.
    /// </summary>
    public Page<TOut> Of<TIn, TOut>(IReadOnlyList<TIn> all, Func<TIn, TOut> view, string path,
        params (string Name, string? Value)[] query) =>
        Envelope(all.Skip(Offset).Take(Limit).Select(view).ToList(), all.Count, path, query);

    /// <summary>The envelope around a page the store already cut.</summary>
    public Page<T> Envelope<T>(IReadOnlyList<T> items, int total, string path,
        params (string Name, string? Value)[] query)
    {
        var kept = string.Concat(query.Where(q => q.Value is not null)
            .Select(q => $"{q.Name}={Uri.EscapeDataString(q.Value!)}&"));
        var next = Offset + Limit < total ? $"{path}?{kept}offset={Offset + Limit}&limit={Limit}" : null;
        return new Page<T>(items, total, Offset, Limit, next);
    }
}
