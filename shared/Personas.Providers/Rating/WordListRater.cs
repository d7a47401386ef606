using System.Reflection;
using System.Text;
using Personas.Domain.Rating;

namespace Personas.Providers.Rating;

/// <summary>
/// The documented fallback rating: whole-word matches against nsfw-words.txt (shipped inside this assembly), and
/// against the persona's restricted topics. What the list covers and misses is written at the top of the file.
/// </summary>
public static class WordListRater
{
    private static readonly IReadOnlyList<string> Words = Load();

    public static ContentRating Rate(string text, IReadOnlyList<string> restrictions)
    {
        var padded = Normalise(text);
        var nsfw = Words.Where(w => Contains(padded, w)).ToList();
        return new ContentRating(nsfw.Count > 0 ? ContentRating.Nsfw : ContentRating.Sfw,
            nsfw.Select(w => $"names '{w}'").ToList(), RestrictionHits(padded, restrictions),
            ContentRating.WordListSource);
    }

    /// <summary>
    /// The restricted topics the text names, as whole words (a model may find more; these always count).
    /// </summary>
    public static IReadOnlyList<string> RestrictionHits(string text, IReadOnlyList<string> restrictions) =>
        RestrictionHitsIn(Normalise(text), restrictions);

    private static List<string> RestrictionHitsIn(string padded, IReadOnlyList<string> restrictions) =>
        restrictions.Where(r => Normalise(r).Trim() is { Length: > 0 } topic && Contains(padded, topic)).ToList();

    private static bool Contains(string padded, string phrase) =>
        padded.Contains($" {phrase} ", StringComparison.Ordinal)
        || padded.Contains($" {phrase}s ", StringComparison.Ordinal)
        || padded.Contains($" {phrase}es ", StringComparison.Ordinal);

    /// <summary>Lower case, letters and digits only, single spaces, a space at each end.</summary>
    internal static string Normalise(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append(' ');
        foreach (var c in text.ToLowerInvariant())
            if (char.IsLetterOrDigit(c)) builder.Append(c);
            else if (builder[^1] != ' ') builder.Append(' ');
        if (builder[^1] != ' ') builder.Append(' ');
        return builder.ToString();
    }

    private static List<string> Load()
    {
        using var stream = Assembly.GetExecutingAssembly()
            .GetManifestResourceStream("Personas.Providers.Rating.nsfw-words.txt")
            ?? throw new InvalidOperationException("The NSFW word list is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => Normalise(l).Trim()).Distinct().ToList();
    }
}
