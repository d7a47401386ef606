using System.Collections.Frozen;
using System.Text.Json;

namespace Personas.Api.Problems;

/// <summary>
/// The rules every string in every JSON body meets, checked once on the parsed body before any endpoint reads it,
/// so a new field is covered without code of its own: valid Unicode (no lone UTF-16 surrogate, no invalid UTF-8),
/// and no control characters, except tab, line feed and carriage return in free-text fields. Field names follow the
/// same rules. Endpoints still apply their own per-field rules (lengths, shapes, choices) afterwards.
/// </summary>
public static class JsonTextRules
{
    /// <summary>
    /// Fields whose text is prose a person writes, where line breaks and tabs belong; matched on the last name in the
    /// path, case-insensitively, so <c>contentAnalysis.moments[2]</c> is free text. Every other string is a name, id,
    /// colour, URL or choice, where a control character is never meant.
    /// </summary>
    public static FrozenSet<string> FreeTextFields { get; } = new[]
    {
        "prompt", "caption", "hook", "cta", "transcript", "moments", "feedback", "reason", "sentences",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// More fields at fault than this is an attack or a broken client: the answer names the first ones.
    /// </summary>
    public const int MaxProblems = 20;

    public const string InvalidUnicode =
        "is not valid Unicode text: it holds a lone UTF-16 surrogate (such as \\ud800) or bytes that are not UTF-8.";
    public const string ControlInFreeText =
        "must not contain control characters; only tab, line feed and carriage return are allowed here.";
    public const string ControlInName = "must not contain control characters, line breaks or tabs.";
    public const string BadFieldName =
        "has a field name that is not valid text (a control character or lone surrogate).";

    /// <summary>
    /// Every string in the body that breaks the rules, keyed by JSON path; empty when all is fine. With
    /// <paramref name="unicodeOnly"/>, only invalid Unicode counts (for signed provider deliveries, whose logs and
    /// messages may hold any character).
    /// </summary>
    public static List<FieldProblem> Check(JsonElement root, bool unicodeOnly = false)
    {
        var problems = new List<FieldProblem>();
        Walk(root, "", null, unicodeOnly, problems);
        return problems;
    }

    /// <summary>Null when <paramref name="text"/> is fine for a field of this kind; otherwise why it is not.</summary>
    public static string? Problem(string text, bool freeText)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c)) return InvalidUnicode;
            if (char.IsControl(c) && !(freeText && c is '\t' or '\n' or '\r'))
                return freeText ? ControlInFreeText : ControlInName;
        }
        return null;
    }

    private static void Walk(JsonElement element, string path, string? field, bool unicodeOnly,
        List<FieldProblem> problems)
    {
        if (problems.Count >= MaxProblems) return;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (PropertyName(property, unicodeOnly) is not { } name)
                    {
                        problems.Add(new(path.Length == 0 ? "body" : path, BadFieldName));
                        continue;
                    }
                    Walk(property.Value, path.Length == 0 ? name : $"{path}.{name}", name, unicodeOnly, problems);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                    Walk(item, $"{path}[{index++}]", field, unicodeOnly, problems);
                break;
            case JsonValueKind.String:
                var reason = Text(element) is not { } text ? InvalidUnicode
                    : unicodeOnly ? null
                    : Problem(text, field is not null && FreeTextFields.Contains(field));
                if (reason is not null) problems.Add(new(path.Length == 0 ? "body" : path, reason));
                break;
        }
    }

    /// <summary>
    /// The string, or null when it cannot be decoded (System.Text.Json refuses lone surrogates, bad UTF-8).
    /// </summary>
    private static string? Text(JsonElement element)
    {
        try { return element.GetString(); }
        catch (InvalidOperationException) { return null; }
    }

    private static string? PropertyName(JsonProperty property, bool unicodeOnly)
    {
        try { return unicodeOnly || Problem(property.Name, freeText: false) is null ? property.Name : null; }
        catch (InvalidOperationException) { return null; }
    }
}
