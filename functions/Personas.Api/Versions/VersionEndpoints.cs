using System.Globalization;
using Personas.Api.Auth;
using Personas.Api.Blobs;
using Personas.Api.Paging;
using Personas.Api.Personas;
using Personas.Api.Problems;
using Personas.Domain.Personas;
using Personas.Domain.Stores;
using Personas.Domain.Training;

namespace Personas.Api.Versions;

/// <summary>
/// A persona's trained versions: list, compare, activate, roll back. The versions live in the persona's own record
/// (both catalogs), so they go with it when it is deleted; the active one is what generation and posts use.
/// </summary>
public static class VersionEndpoints
{
    public static void MapVersionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/personas/{personaId}/versions").WithTags("Versions");
        group.MapGet("", ListAsync).WithName("PersonaVersions")
            .WithSummary("The persona's trained versions, newest first, with validation scores and images. "
                + "Query: offset (0), limit (20, at most 100).")
            .Produces<Page<VersionPayload>>().ProducesProblem(400).ProducesProblem(404);
        group.MapGet("/compare", CompareAsync).WithName("CompareVersions")
            .WithSummary("Two versions side by side (query a and b) with b's score minus a's.")
            .Produces<VersionComparison>().ProducesProblem(400).ProducesProblem(404);
        group.MapPost("/{version}/activate", ActivateAsync).WithName("ActivateVersion")
            .WithSummary("Makes the version the one generation and posts use. It must have passed validation.")
            .Produces<VersionPayload>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/rollback", RollbackAsync).WithName("RollbackVersion")
            .WithSummary("Activates the usable version before the active one; 409 when there is none.")
            .Produces<VersionPayload>().ProducesProblem(404).ProducesProblem(409);
    }

    private static async Task<IResult> ListAsync(string personaId, HttpContext http, ICatalog catalog,
        BlobUrlSigner signer, int? offset, int? limit)
    {
        var (page, problem) = PageRequest.Read(http, offset, limit);
        if (problem is not null) return problem;
        if (await catalog.GetPersonaAsync(http.User.Owner(), personaId, http.RequestAborted) is not { } persona)
            return PersonaEndpoints.NotFound(http, personaId);
        var link = signer.Links(http.Request);
        return TypedResults.Ok(page.Of(persona.Models.OrderByDescending(m => m.Version).ToList(),
            m => VersionPayload.From(persona, m, link), $"/api/personas/{Uri.EscapeDataString(personaId)}/versions"));
    }

    private static async Task<IResult> CompareAsync(string personaId, string? a, string? b, HttpContext http,
        ICatalog catalog, BlobUrlSigner signer)
    {
        if (await catalog.GetPersonaAsync(http.User.Owner(), personaId, http.RequestAborted) is not { } persona)
            return PersonaEndpoints.NotFound(http, personaId);
        var (first, firstProblem) = Find(http, persona, a, "a");
        if (firstProblem is not null) return firstProblem;
        var (second, secondProblem) = Find(http, persona, b, "b");
        if (secondProblem is not null) return secondProblem;
        var link = signer.Links(http.Request);
        return TypedResults.Ok(VersionComparison.Of(VersionPayload.From(persona, first!, link),
            VersionPayload.From(persona, second!, link)));
    }

    private static async Task<IResult> ActivateAsync(string personaId, string version, HttpContext http,
        ICatalog catalog, BlobUrlSigner signer, TimeProvider clock)
    {
        if (await catalog.GetPersonaAsync(http.User.Owner(), personaId, http.RequestAborted) is not { } persona)
            return PersonaEndpoints.NotFound(http, personaId);
        var (model, problem) = Find(http, persona, version, "version");
        if (problem is not null) return problem;
        if (!model!.Usable)
            return ProblemWriter.Result(http, 409, "Version not usable",
                $"Version {model.Version} did not pass validation, so it cannot be active.", "version");
        return await SetActiveAsync(http, catalog, signer, clock, persona, _ => model);
    }

    private static async Task<IResult> RollbackAsync(string personaId, HttpContext http, ICatalog catalog,
        BlobUrlSigner signer, TimeProvider clock)
    {
        if (await catalog.GetPersonaAsync(http.User.Owner(), personaId, http.RequestAborted) is not { } persona)
            return PersonaEndpoints.NotFound(http, personaId);
        return await SetActiveAsync(http, catalog, signer, clock, persona, Earlier);
    }

    /// <summary>The usable version before the active one, read from the persona being updated.</summary>
    private static PersonaModel? Earlier(Persona p) => p.ActiveModel is { } active
        ? p.Models.Where(m => m.Usable && m.Version < active.Version).MaxBy(m => m.Version) : null;

    /// <summary>
    /// Picks the version inside the catalog's atomic update, so an activation racing a training run or another
    /// rollback moves from the state it read.
    /// </summary>
    private static async Task<IResult> SetActiveAsync(HttpContext http, ICatalog catalog, BlobUrlSigner signer,
        TimeProvider clock, Persona persona, Func<Persona, PersonaModel?> pick)
    {
        if (persona.Status == PersonaStatus.Deleting)
            return ProblemWriter.Result(http, 409, "Persona being deleted",
                "The persona is being deleted; nothing more can be done with it.", "personaId");
        PersonaModel? chosen = null;
        var updated = await catalog.UpdatePersonaAsync(persona.Owner, persona.Id, p =>
        {
            chosen = pick(p);
            return chosen is null || p.Status == PersonaStatus.Deleting ? p
                : p with { ActiveVersion = chosen.Version, UpdatedAt = clock.GetUtcNow() };
        }, http.RequestAborted);
        if (updated is null) return PersonaEndpoints.NotFound(http, persona.Id);
        if (chosen is null)
            return ProblemWriter.Result(http, 409, "Nothing to roll back to", updated.ActiveModel is { } active
                ? $"Version {active.Version} is the earliest usable version; there is none before it."
                : "The persona has no usable version yet.", "version");
        return TypedResults.Ok(VersionPayload.From(updated, chosen, signer.Links(http.Request)));
    }

    /// <summary>The version a request names: 400 when not a whole number, 404 when the persona lacks it.</summary>
    private static (PersonaModel?, IResult?) Find(HttpContext http, Persona persona, string? text, string field)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            return (null, ProblemWriter.Invalid(http, field, "must be a version number (1, 2, …)."));
        return persona.Models.FirstOrDefault(m => m.Version == number) is { } model ? (model, null)
            : (null, ProblemWriter.Result(http, 404, "Not found",
                $"The persona has no version {number}.", field));
    }
}
