using System.Text;

namespace Personas.Api.Problems;

/// <summary>
/// Cleans text that is shown as a label (a persona's name, an uploaded file's name): NFC-normalised, then without
/// bidirectional controls and zero-width characters. Those are invisible and serve there only to disguise, as in
/// "photo" + U+202E + "gpj.exe", shown as "photoexe.jpg". Free text (captions, prompts) keeps them: right-to-left
/// scripts and emoji sequences need them.
/// </summary>
public static class DisplayText
{
    public static string Clean(string text)
    {
        // Normalize throws on a lone surrogate: such a character cannot be shown, so it goes first.
        var normalised = WithoutLoneSurrogates(text).Normalize(NormalizationForm.FormC);
        var kept = new StringBuilder(normalised.Length);
        foreach (var c in normalised)
            if (!IsInvisibleFormat(c)) kept.Append(c);
        return kept.ToString();
    }

    /// <summary>
    /// Bidirectional embeddings, overrides and isolates (U+202A–202E, U+2066–2069), the LRM, RLM and Arabic letter
    /// marks (U+200E, U+200F, U+061C), and zero-width characters (U+200B–200D, U+2060, U+FEFF).
    /// </summary>
    public static bool IsInvisibleFormat(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069'
        or '\u200E' or '\u200F' or '\u061C' or >= '\u200B' and <= '\u200D' or '\u2060' or '\uFEFF';

    private static string WithoutLoneSurrogates(string text)
    {
        if (!text.Any(char.IsSurrogate)) return text;
        var kept = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                kept.Append(text[i]).Append(text[++i]);
            else if (!char.IsSurrogate(text[i])) kept.Append(text[i]);
        }
        return kept.ToString();
    }
}
