using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Personas.Domain.Generations;
using Personas.Domain.Stores;
using Microsoft.DurableTask.Client;
using Personas.Domain.Workflows;
using Personas.Api.Auth;
using Personas.Api.Blobs;
using Personas.Api.Hosting;
using Personas.Api.Instances;
using Personas.Api.Personas;
using Personas.Api.Problems;
using Personas.Api.Training;
using Personas.Orchestrations.FaceSwap;
using Personas.Orchestrations.Generations;
using Personas.Providers.Generation;
using Personas.Api.Paging;
using Personas.Api.OpenApi;
using Personas.Api.Rating;
using Personas.Providers.Rating;

namespace Personas.Api.Generations;

/// <summary>Generates pictures with a persona's LoRA (a short orchestration), and reads what was made.</summary>
public static class GenerationEndpoints
{
    private const string Route = "/api/generate-with-persona";

    public static void MapGenerationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, StartAsync).WithTags("Generation").WithName("GenerateWithPersona")
            .Documents<GenerationBody>("application/json")
            .WithSummary("Generates pictures of a persona. Body: { personaId, prompt, platform, blendStrength? (0.5), "
                + "seed?, count? (1–4), usage? (personal|commercial|thirdParty), modelVersion?, "
                + "faceSwap? (false) }. 202.")
            .Produces<GenerationAccepted>(202).ProducesProblem(400).ProducesProblem(402).ProducesProblem(403)
            .ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        app.MapGet("/api/generations/{generationId}", GetAsync).WithTags("Generation").WithName("Generation")
            .WithSummary("A finished generation: prompt, seeds, model version, provider, and links to the images. 404 until it has finished.")
            .Produces<GenerationPayload>().ProducesProblem(404);
        app.MapGet("/api/personas/{personaId}/generations", ListAsync).WithTags("Generation").WithName("PersonaGenerations")
            .WithSummary("The persona's generations, oldest first. Query: offset (0), limit (20, at most 100).")
            .Produces<Page<GenerationPayload>>().ProducesProblem(400).ProducesProblem(404);
    }

    private static async Task<IResult> StartAsync(HttpContext http, ICatalog catalog, DurableTaskClient client,
        IInstanceLedger ledger, PersonaPictures pictures, PersonaFaceSwap faceSwap, TimeProvider clock,
        IOptions<PersonasSettings> settings, IOptions<TrainingSettings> training, ContentRater rater)
    {
        var owner = http.User.Owner();
        var (body, bodyProblem) = await JsonBody.ReadAsync(http, settings.Value.MaxJsonBodyBytes);
        if (bodyProblem is not null) return bodyProblem;
        var (request, problem) = GenerationRequest.Parse(body as JsonObject);
        if (problem is { } p) return ProblemWriter.Invalid(http, p);
        var (idem, keyProblem) = IdempotentStart.Read(http, Route, null, body);
        if (keyProblem is not null) return keyProblem;
        var generationId = idem!.NewId(16);
        var instanceId = $"gen-{generationId}";
        IResult Answer(OrchestrationMetadata instance) => Accepted(http, instance, settings.Value);
        if (await idem.EarlierAsync(client, ledger, instanceId, Answer) is { } earlier) return earlier;

        if (await catalog.GetPersonaAsync(owner, request!.PersonaId, http.RequestAborted) is not { } persona) return PersonaEndpoints.NotFound(http, request.PersonaId);
        if (PersonaEndpoints.WorkRefusal(http, persona, clock.GetUtcNow(), request.Usage) is { } refusal) return refusal;
        if (await RatingGate.CheckAsync(http, rater, "prompt", request.Prompt, persona.Restrictions) is { } rated)
            return rated;
        var model = persona.ModelFor(request.ModelVersion);
        if (model is null)
            return ProblemWriter.Result(http, 409, "No trained version", request.ModelVersion is null
                ? "The persona has no trained version that passed validation yet; train it first." : $"The persona has no version {request.ModelVersion}.", "modelVersion");
        var lora = pictures.Reference(persona, model, model.ActiveWeightsBlob);
        string provider;
        try { provider = pictures.ProviderFor(lora); }
        catch (ImageGenerationException ex) { return ProblemWriter.Result(http, 409, "No image provider", ex.Message, "personaId"); }
        var estimate = pictures.EstimateUsd(lora, request.Count)
            + (request.FaceSwap ? faceSwap.EstimateUsd(request.Count) : 0);
        var work = $"{request.Count} image(s) on {provider}"
            + (request.FaceSwap ? $" and {request.Count} face swap(s) on {faceSwap.Provider}" : "");
        if (await BudgetGuard.RefuseAsync(http, catalog, owner, persona.Id, estimate, work,
                null, training.Value.OwnerBudgetUsd) is { } overBudget)
            return overBudget;

        return await idem.StartAsync(client, ledger, clock, GenerateWithPersonaOrchestrator.Name,
            new GenerateWithPersonaInput(owner, generationId, persona.Id, request.Prompt, request.BlendStrength,
                request.Platform, request.Seed, request.Count, request.Usage, model.Version, request.FaceSwap),
            instanceId, Answer);
    }

    /// <summary>The 202 for a generation's instance, built from its input, so a replay answers the same.</summary>
    private static IResult Accepted(HttpContext http, OrchestrationMetadata instance, PersonasSettings settings)
    {
        var input = instance.ReadInputAs<GenerateWithPersonaInput>()!;
        var payload = InstancePayloads.Management(http, instance);
        http.Response.Headers.RetryAfter = settings.RetryAfterSeconds.ToString();
        return TypedResults.Accepted(payload.StatusQueryGetUri, new GenerationAccepted(input.GenerationId,
            input.PersonaId, input.ModelVersion ?? 0, input.Seed, $"/api/generations/{input.GenerationId}", payload));
    }

    private static async Task<IResult> GetAsync(string generationId, HttpContext http, ICatalog catalog, BlobUrlSigner signer) =>
        await catalog.GetGenerationAsync(http.User.Owner(), generationId, http.RequestAborted) is { } generation
            ? TypedResults.Ok(GenerationPayload.From(generation, signer.Links(http.Request)))
            : ProblemWriter.Result(http, 404, "Not found", $"There is no finished generation '{generationId}' (it may still be running; see its status link).", "generationId");

    private static async Task<IResult> ListAsync(string personaId, HttpContext http, ICatalog catalog,
        BlobUrlSigner signer, int? offset, int? limit)
    {
        var (page, problem) = PageRequest.Read(http, offset, limit);
        if (problem is not null) return problem;
        var owner = http.User.Owner();
        if (await catalog.GetPersonaAsync(owner, personaId, http.RequestAborted) is null) return PersonaEndpoints.NotFound(http, personaId);
        var generations = await catalog.ListGenerationsAsync(owner, personaId, http.RequestAborted);
        var link = signer.Links(http.Request);
        return TypedResults.Ok(page.Of(generations, g => GenerationPayload.From(g, link),
            $"/api/personas/{personaId}/generations"));
    }
}

public sealed record GenerationAccepted(string GenerationId, string PersonaId, int ModelVersion, long Seed, string ResultUri, InstanceManagementPayload Instance);

/// <summary>
/// A generation as the API shows it: the stored record, each image with a short-lived signed <c>url</c> beside its
/// <c>blob</c>, and the same links again as <c>imageUrls</c> (the older field).
/// </summary>
public sealed record GenerationPayload(GenerationRecord Generation, IReadOnlyList<string> ImageUrls)
{
    public static GenerationPayload From(Generation g, Func<string, string> link)
    {
        var images = g.Images.Select(i => new GeneratedPictureLink(i.Blob, i.Seed, i.ProviderRequestId, link(i.Blob),
            i.FaceSwap)).ToList();
        return new(new GenerationRecord(g.Id, g.Owner, g.PersonaId, g.ModelVersion, g.WeightsBlob, g.Provider, g.Prompt,
            g.BlendStrength, g.Platform, g.Width, g.Height, g.Usage, images, g.CreatedAt, g.Label),
            images.Select(i => i.Url).ToList());
    }
}

/// <summary>The stored <see cref="Generation"/>, field for field, with linked images.</summary>
public sealed record GenerationRecord(string Id, string Owner, string PersonaId, int ModelVersion, string WeightsBlob,
    string Provider, string Prompt, double BlendStrength, string Platform, int Width, int Height, string Usage,
    IReadOnlyList<GeneratedPictureLink> Images, DateTimeOffset CreatedAt, string? Label);

/// <summary>One generated picture; <c>faceSwap</c> is the face-swap step's outcome when it was asked for.</summary>
public sealed record GeneratedPictureLink(string Blob, long Seed, string? ProviderRequestId, string Url,
    FaceSwapOutcome? FaceSwap);
