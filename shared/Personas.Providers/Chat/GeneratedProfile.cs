namespace Personas.Providers.Chat;

/// <summary>A persona profile written from a short brief, and who wrote it (<c>model</c> or <c>template</c>).</summary>
public sealed record GeneratedProfile(string Name, string Voice, IReadOnlyList<string> Topics,
    IReadOnlyList<string> Restrictions, string Bio, IReadOnlyList<string> SampleCaptions, string Source);
