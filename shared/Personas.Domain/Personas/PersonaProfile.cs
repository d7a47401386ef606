namespace Personas.Domain.Personas;

/// <summary>The rules for a persona's voice, topics and restrictions, wherever they are set.</summary>
public static class PersonaProfile
{
    public const int MaxVoice = 500, MaxItems = 20, MaxItem = 60;

    /// <summary>Every problem, keyed by the field's JSON path; none when all three are absent.</summary>
    public static Dictionary<string, string[]> Problems(string? voice, IReadOnlyList<string?>? topics,
        IReadOnlyList<string?>? restrictions)
    {
        var problems = new Dictionary<string, string[]>();
        if (voice is not null && (voice.Length > MaxVoice || voice.Any(c => char.IsControl(c) && c != '\n')))
            problems["voice"] = [$"At most {MaxVoice} characters, without control characters."];
        foreach (var (field, items) in new[] { ("topics", topics), ("restrictions", restrictions) })
        {
            if (items is null) continue;
            if (items.Count > MaxItems) problems[field] = [$"At most {MaxItems} entries."];
            for (var i = 0; i < items.Count && i < MaxItems; i++)
                if (string.IsNullOrWhiteSpace(items[i]) || items[i]!.Length > MaxItem || items[i]!.Any(char.IsControl))
                    problems[$"{field}[{i}]"] = [$"Give 1 to {MaxItem} visible characters."];
        }
        return problems;
    }

    /// <summary>Trimmed entries without repeats (case-insensitive), in the order given.</summary>
    public static IReadOnlyList<string> Clean(IReadOnlyList<string?>? items) =>
        (items ?? []).Select(i => i!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}
