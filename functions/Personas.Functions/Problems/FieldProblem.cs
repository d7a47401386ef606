using System.Text.Json;
using System.Text.Json.Nodes;

namespace Personas.Functions.Problems;

/// <summary>Why one field of a request body was refused; endpoints turn it into a 400 problem naming the field.</summary>
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
}
