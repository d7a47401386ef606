using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Personas.Api.Hosting;
using Personas.Api.Instances;
using Personas.Api.OpenApi;
using Personas.Api.Problems;
using Personas.Api.Rating;
using Personas.Domain.Rating;
using Personas.Providers.Chat;
using Personas.Providers.Rating;

namespace Personas.Api.Profiles;

/// <summary>Persona profiles written from a short brief, to review and send to <c>POST /api/personas</c>.</summary>
public static class ProfileEndpoints
{
    public const int MaxBrief = 2000;

    public static void MapProfileEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/personas/generate", GenerateAsync).WithTags("Personas").WithName("GeneratePersonaProfile")
            .WithSummary("Writes a persona profile (name suggestion, voice, topics, restrictions, bio, sample "
                + "captions) from { brief }: with the configured text model (JSON-schema output), else templates "
                + "(source: template). The brief is rated first (422 when NSFW); each caption carries its rating, "
                + "and refused captions are left out. Stores nothing.")
            .Documents<ProfileBody>("application/json")
            .Produces<ProfileAnswer>().ProducesProblem(400).ProducesProblem(422);
        app.MapPatch("/api/personas/{personaId}/profile", ProfileUpdate.PatchAsync).WithTags("Personas")
            .WithName("UpdatePersonaProfile")
            .WithSummary("Changes the persona's { voice?, topics?, restrictions? } (each given field replaces the old; "
                + "null clears it). Chat, prompts and captions use them from the next request on.")
            .Documents<ProfileUpdateBody>("application/json")
            .Produces<Personas.PersonaPayload>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
    }

    private static async Task<IResult> GenerateAsync(HttpContext http, ProfileWriter writer, ContentRater rater,
        IOptions<PersonasSettings> settings)
    {
        var (body, bodyProblem) = await JsonBody.ReadAsync(http, settings.Value.MaxJsonBodyBytes);
        if (bodyProblem is not null) return bodyProblem;
        var brief = body is JsonObject o && o["brief"] is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>().Trim() : null;
        if (string.IsNullOrEmpty(brief) || brief.Length > MaxBrief)
            return ProblemWriter.Invalid(http, "brief", $"Give a brief of 1 to {MaxBrief} characters.");
        if (await RatingGate.CheckAsync(http, rater, "brief", brief, []) is { } refused) return refused;

        var (profile, notes) = await writer.WriteAsync(brief, http.RequestAborted);
        var captions = new List<RatedCaption>();
        var withheld = 0;
        foreach (var caption in profile.SampleCaptions)
        {
            var rating = await rater.RateAsync(caption, profile.Restrictions, http.RequestAborted);
            if (rating.Refused) withheld++;
            else captions.Add(new RatedCaption(caption, rating));
        }
        var allNotes = withheld == 0 ? notes
            : [.. notes, $"{withheld} sample caption(s) were rated NSFW or against the restrictions and left out."];
        return TypedResults.Ok(new ProfileAnswer(profile.Source,
            new ProfileDraft(profile.Name, profile.Voice, profile.Topics, profile.Restrictions, profile.Bio, captions),
            allNotes));
    }
}

public sealed record ProfileBody(string Brief);

public sealed record RatedCaption(string Text, ContentRating Rating);

/// <summary>The profile; name, voice, topics and restrictions fit <c>POST /api/personas</c> as they are.</summary>
public sealed record ProfileDraft(string Name, string Voice, IReadOnlyList<string> Topics,
    IReadOnlyList<string> Restrictions, string Bio, IReadOnlyList<RatedCaption> SampleCaptions);

/// <summary><c>source</c>: <c>model</c> or <c>template</c>; notes say why a fallback answered.</summary>
public sealed record ProfileAnswer(string Source, ProfileDraft Profile, IReadOnlyList<string> Notes);
