using Personas.Domain.Stores;

namespace Personas.Domain.Personas;

/// <summary>
/// Consent read again at the moment the likeness is used, not when the work was asked for: a withdrawal between the
/// request and the use must stop the use. Every store of a picture, approval, schedule, staging and publication of
/// a persona's likeness asks here first.
/// </summary>
public static class LikenessConsent
{
    /// <summary>Why the likeness may not be used for <paramref name="usage"/> now; null when it may.</summary>
    public static async Task<string?> RefusalAsync(ICatalog catalog, string owner, string personaId, string usage,
        DateTimeOffset now, CancellationToken ct) =>
        await catalog.GetPersonaAsync(owner, personaId, ct) switch
        {
            null => "The persona no longer exists.",
            { Status: PersonaStatus.Deleting } => "The persona is being deleted.",
            var persona => persona.Consent.RefusalFor(usage, now),
        };
}
