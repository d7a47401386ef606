using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Personas.Api.Auth;
using Personas.Api.Hosting;
using Personas.Api.Instances;
using Personas.Api.Personas;
using Personas.Api.Problems;
using Personas.Domain.Personas;
using Personas.Domain.Stores;

namespace Personas.Api.Profiles;

public sealed record ProfileUpdateBody(string? Voice, IReadOnlyList<string>? Topics,
    IReadOnlyList<string>? Restrictions);

/// <summary>
/// <c>PATCH /api/personas/{personaId}/profile</c>: the voice, topics and restrictions after creation.
/// </summary>
internal static class ProfileUpdate
{
    private static readonly string[] Fields = ["voice", "topics", "restrictions"];

    public static async Task<IResult> PatchAsync(string personaId, HttpContext http, ICatalog catalog,
        TimeProvider clock, IOptions<PersonasSettings> settings)
    {
        var (body, bodyProblem) = await JsonBody.ReadAsync(http, settings.Value.MaxJsonBodyBytes);
        if (bodyProblem is not null) return bodyProblem;
        if (body is not JsonObject patch || patch.Count == 0)
            return ProblemWriter.Invalid(http, "body", "Send one or more of voice, topics and restrictions.");
        if (patch.Select(p => p.Key).FirstOrDefault(k => !Fields.Contains(k)) is { } unknown)
            return ProblemWriter.Invalid(http, unknown, "is not a profile field; send voice, topics or restrictions.");
        ProfileUpdateBody update;
        try { update = patch.Deserialize<ProfileUpdateBody>(JsonSerializerOptions.Web)!; }
        catch (JsonException ex)
        {
            return ProblemWriter.Invalid(http, ex.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body",
                "This field has the wrong type.");
        }
        var problems = PersonaProfile.Problems(update.Voice, update.Topics, update.Restrictions);
        if (problems.Count > 0) return ProblemWriter.Invalid(http, problems);

        var now = clock.GetUtcNow();
        var owner = http.User.Owner();
        var current = await catalog.GetPersonaAsync(owner, personaId, http.RequestAborted);
        if (current is { Status: PersonaStatus.Deleting })
            return ProblemWriter.Result(http, 409, "Persona being deleted",
                "The persona is being deleted; nothing more can be done with it.", "personaId");
        var updated = current is null ? null : await catalog.UpdatePersonaAsync(owner, personaId, p => p with
        {
            Voice = patch.ContainsKey("voice") ? (string.IsNullOrWhiteSpace(update.Voice) ? null : update.Voice.Trim())
                : p.Voice,
            Topics = patch.ContainsKey("topics") ? PersonaProfile.Clean(update.Topics) : p.Topics,
            Restrictions = patch.ContainsKey("restrictions") ? PersonaProfile.Clean(update.Restrictions)
                : p.Restrictions,
            UpdatedAt = now,
        }, http.RequestAborted);
        return updated is null ? PersonaEndpoints.NotFound(http, personaId)
            : TypedResults.Ok(PersonaPayload.From(updated, null, 0, now));
    }
}
