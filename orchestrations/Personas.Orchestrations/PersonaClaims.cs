using Personas.Domain.Personas;
using Personas.Domain.Stores;

namespace Personas.Orchestrations;

/// <summary>The write behind the claim activities of training and dataset runs.</summary>
internal static class PersonaClaims
{
    /// <summary>Applies <paramref name="claim"/> atomically and returns the persona as it then is.</summary>
    public static async Task<Persona> ApplyAsync(ICatalog catalog, string owner, string personaId,
        Func<Persona, Persona> claim, CancellationToken ct) =>
        await catalog.UpdatePersonaAsync(owner, personaId, claim, ct)
        ?? throw new InvalidDataException($"Persona {personaId} no longer exists.");
}
