using System.Security.Cryptography;
using System.Text;
using Personas.Domain.Personas;
using Personas.Providers.Llm;

namespace Personas.Providers.Chat;

/// <summary>
/// The deterministic answers when no text model is configured: the same input always gives the same words, and every
/// answer says it came from a template.
/// </summary>
public static class TemplateWriter
{
    public const string Source = "template";

    private static readonly string[] Names = ["Alex", "Sam", "Robin", "Jules", "Kai", "Noa", "Rene", "Quinn"];
    private static readonly HashSet<string> Stop = new(StringComparer.OrdinalIgnoreCase)
    {
        "about", "after", "also", "and", "are", "been", "being", "from", "have", "into", "just", "like", "loves",
        "love", "more", "most", "only", "over", "some", "that", "their", "them", "then", "there", "they", "this",
        "very", "what", "when", "where", "which", "while", "with", "who", "whose", "will", "would", "your", "persona",
        "someone", "person", "talks", "posts", "writes", "shares",
    };

    public static string ChatReply(Persona persona, string message)
    {
        var topic = persona.Topics.FirstOrDefault(t => message.Contains(t, StringComparison.OrdinalIgnoreCase))
            ?? persona.Topics.FirstOrDefault();
        var about = topic is null ? "whatever you would like to post about" : $"{topic}";
        var excerpt = message.Length <= 80 ? message.Trim() : message[..80].Trim() + "…";
        return $"Thanks for asking about \"{excerpt}\". As {persona.Name}, I'd keep it {Tone(persona.Voice)}: "
            + $"let's talk about {about}. (Template answer: configure Personas:Llm for a model's reply.)";
    }

    public static GeneratedProfile Profile(string brief)
    {
        var topics = Keywords(brief).Take(4).ToList();
        if (topics.Count == 0) topics = ["everyday life"];
        var tone = PostWriter.ToneFrom(brief) ?? "casual";
        var name = $"{Names[Stable(brief) % Names.Length]} {Capital(topics[0])}";
        var list = string.Join(", ", topics);
        return new GeneratedProfile(name,
            $"{Capital(tone)}, first person, short sentences; explains {topics[0]} without jargon.",
            topics, ["politics", "medical advice"],
            $"{name} shares {list} — practical, {tone}, and always honest about what works.",
            [
                $"Three things I learned about {topics[0]} this week. Which one surprised you?",
                $"Behind the scenes: how {topics[^1]} fits into an ordinary day.",
                $"Your turn: what's one question about {list} you'd like me to answer?",
            ], Source);
    }

    private static string Tone(string? voice) => string.IsNullOrWhiteSpace(voice) ? "friendly and clear"
        : voice.Split('.', ';')[0].Trim().ToLowerInvariant();

    /// <summary>
    /// Distinct words of four or more letters that are not filler, in the order the brief gives them.
    /// </summary>
    internal static IEnumerable<string> Keywords(string brief) =>
        brief.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(c => char.IsLetter(c) || c == '-').ToArray()).Trim('-').ToLowerInvariant())
            .Where(w => w.Length >= 4 && !Stop.Contains(w)).Distinct();

    private static string Capital(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];

    /// <summary>A hash that is the same in every process (string.GetHashCode is not).</summary>
    private static int Stable(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text))[0];
}
