using System.Text.Json;
using System.Text.Json.Nodes;

namespace Personas.Api.Problems;

/// <summary>
/// Why one field of a request body was refused; endpoints turn it into a 400 problem naming the field.
/// </summary>
public sealed record FieldProblem(string Field, string Reason)
{
    /// <summary>An optional number field within [min, max] (and whole, when asked); null when absent or fine.</summary>
    public static FieldProblem? OfNumber(JsonObject body, string field, double min, double max, bool integer)
    {
        if (body[field] is not { } node) return null;
        if (node.GetValueKind() != JsonValueKind.Number) return new FieldProblem(field, "must be a number.");
        var value = node.GetValue<double>();
        if (integer && value != Math.Floor(value)) return new FieldProblem(field, "must be a whole number.");
        return value < min || value > max ? new FieldProblem(field, $"must be between {min} and {max}.") : null;
    }

    /// <summary>A required string field, trimmed, at most <paramref name="max"/> characters.</summary>
    public static (string? Value, FieldProblem? Problem) OfText(JsonObject body, string field, int max)
    {
        if (body[field] is not { } node || node.GetValueKind() != JsonValueKind.String
            || string.IsNullOrWhiteSpace(node.GetValue<string>()))
            return (null, new(field, "is required, as a non-empty string."));
        var value = node.GetValue<string>().Trim();
        return value.Length > max ? (null, new(field, $"must be at most {max} characters.")) : (value, null);
    }

    /// <summary>
    /// An optional string that must be one of <paramref name="choices"/>; <paramref name="fallback"/> when absent.
    /// Problems are reported as <paramref name="name"/>.
    /// </summary>
    public static (string? Value, FieldProblem? Problem) OfChoice(JsonObject body, string field,
        IReadOnlyCollection<string> choices, string fallback, string? name = null, bool ignoreCase = false)
    {
        if (body[field] is not { } node) return (fallback, null);
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var value = node.GetValueKind() == JsonValueKind.String
            ? choices.FirstOrDefault(c => c.Equals(node.GetValue<string>(), comparison)) : null;
        return value is null
            ? (null, new(name ?? field, $"must be one of {string.Join(", ", choices)}."))
            : (value, null);
    }

    /// <summary>
    /// An optional list of strings: at most <paramref name="maxItems"/>, each non-empty and at most
    /// <paramref name="maxLength"/> characters.
    /// </summary>
    public static (List<string>? Value, FieldProblem? Problem) OfStrings(JsonObject body, string field, int maxItems,
        int maxLength)
    {
        if (body[field] is not { } node) return (null, null);
        if (node is not JsonArray array || array.Any(i => i?.GetValueKind() != JsonValueKind.String))
            return (null, new(field, "must be a list of strings."));
        var values = array.Select(i => i!.GetValue<string>().Trim()).ToList();
        if (values.Count > maxItems) return (null, new(field, $"must have at most {maxItems} entries."));
        if (values.Any(v => v.Length == 0 || v.Length > maxLength))
            return (null, new(field, $"entries must be 1–{maxLength} characters."));
        return (values, null);
    }

    /// <summary>Field → reasons, fields in the order first seen: the shape of problem details' <c>errors</c>.
    /// </summary>
    public static Dictionary<string, string[]> Group(IEnumerable<FieldProblem> problems)
    {
        var grouped = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (field, reason) in problems)
        {
            if (!grouped.TryGetValue(field, out var reasons)) grouped[field] = reasons = [];
            if (!reasons.Contains(reason)) reasons.Add(reason);
        }
        return grouped.ToDictionary(g => g.Key, g => g.Value.ToArray(), StringComparer.Ordinal);
    }
}

/// <summary>Lets a parser check every field and report them all, rather than stop at the first.</summary>
public static class FieldProblemList
{
    /// <summary>Adds the problem when there is one.</summary>
    public static void AddIfAny(this List<FieldProblem> problems, FieldProblem? problem)
    {
        if (problem is not null) problems.Add(problem);
    }

    /// <summary>The list when it has problems, otherwise null, so parsers answer (value, null) when all is fine.
    /// </summary>
    public static IReadOnlyList<FieldProblem>? OrNull(this List<FieldProblem> problems) =>
        problems.Count > 0 ? problems : null;
}
