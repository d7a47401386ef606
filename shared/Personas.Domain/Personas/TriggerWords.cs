using System.Text.RegularExpressions;

namespace Personas.Domain.Personas;

/// <summary>
/// The token a LoRA learns the person under. It must be rare: a common word already means something to the base model,
/// and training would fight that meaning. Lower-case letters, digits and underscores, 3–24 characters, starting with a letter.
/// </summary>
public static partial class TriggerWords
{
    public const string Rule = "Use 3 to 24 lower-case letters, digits or underscores, starting with a letter, and not a common word. A made-up token works best, such as 'zqx_anna' or 'ohwxanna'.";

    // \z, not $: $ also matches before a final line feed, and "zqxnl\n" would pass.
    [GeneratedRegex("^[a-z][a-z0-9_]{2,23}\\z")]
    private static partial Regex Shape();

    /// <summary>Words a base model already knows well. Not exhaustive: a guard against the obvious mistakes.</summary>
    private static readonly HashSet<string> Common = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "you", "she", "her", "him", "his", "man", "men", "woman", "women", "person", "people", "girl", "boy", "lady",
        "guy", "face", "photo", "portrait", "picture", "image", "style", "model", "human", "adult", "child", "kid", "baby", "friend",
        "wife", "husband", "mother", "father", "mom", "dad", "brother", "sister", "king", "queen", "prince", "princess", "star",
        "actor", "actress", "singer", "artist", "doctor", "teacher", "student", "worker", "boss", "chef", "hero", "love", "happy",
        "beautiful", "pretty", "cute", "handsome", "young", "old", "new", "good", "best", "great", "nice", "cool", "red", "blue",
        "green", "black", "white", "gold", "dog", "cat", "car", "house", "tree", "sky", "sun", "moon", "water", "fire", "city",
        "world", "life", "time", "day", "night", "home", "art", "music", "book", "game", "test", "user", "name", "admin", "sks",
        "john", "james", "mary", "anna", "emma", "david", "michael", "sarah", "robert", "maria", "alex", "sam", "max", "tom",
    };

    /// <summary>Null when the word is acceptable; otherwise the reason it is not.</summary>
    public static string? Problem(string? word)
    {
        if (string.IsNullOrEmpty(word)) return "A trigger word is required. " + Rule;
        if (!Shape().IsMatch(word)) return $"'{Shorten(word)}' is not a valid trigger word. " + Rule;
        if (Common.Contains(word)) return $"'{word}' is a common word the base model already knows; choose a rarer trigger word. " + Rule;
        return null;
    }

    private static string Shorten(string word) => word.Length > 30 ? word[..30] + "…" : word;
}
