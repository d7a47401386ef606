using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Personas.Api.Auth;
using Personas.Api.Blobs;
using Personas.Api.Hosting;
using Personas.Api.Instances;
using Personas.Api.OpenApi;
using Personas.Api.Paging;
using Personas.Api.Personas;
using Personas.Api.Problems;
using Personas.Api.Training;
using Personas.Domain.Batches;
using Personas.Domain.Generations;
using Personas.Domain.Stores;
using Personas.Orchestrations.Batches;
using Personas.Orchestrations.Generations;
using Personas.Providers.Generation;

namespace Personas.Api.Batches;

/// <summary>
/// Batches of pictures of a persona: started after every check (body, persona, consent, trained version, provider,
/// the first wave against the budgets), then paused, resumed or canceled by the owner, read with progress and signed
/// links, followed as Server-Sent Events, and downloaded as a zip.
/// </summary>
public static class BatchEndpoints
{
    private const string Route = "/api/personas/{personaId}/batches";

    private static readonly (string Action, string Name, BatchStatus[] From, BatchStatus To, string Summary)[]
        Controls =
    [
        ("pause", "PauseBatch", [BatchStatus.Running], BatchStatus.Paused,
            "Pauses a running batch: the pictures in flight finish, no new wave starts. 202 with the batch."),
        ("resume", "ResumeBatch", [BatchStatus.Paused], BatchStatus.Running,
            "Resumes a paused batch from where it stopped. 202 with the batch."),
        ("cancel", "CancelBatch", [BatchStatus.Running, BatchStatus.Paused], BatchStatus.Canceled,
            "Cancels a batch: the pictures in flight finish, nothing more is made; made pictures stay. 202."),
    ];

    /// <summary>The services every batch route needs.</summary>
    public sealed record Services([FromServices] IBatchCatalog Batches, ICatalog Catalog, DurableTaskClient Client,
        TimeProvider Clock);

    public static void MapBatchEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Route).WithTags("Batches");
        group.MapPost("", CreateAsync).WithName("CreateBatch").Documents<BatchBody>("application/json")
            .WithSummary("Starts a batch of up to 500 pictures: { prompts } or { template, variations } (every "
                + "combination; {trigger} is the trigger word), platform, blendStrength? (0.5), seed?, usage?, "
                + "modelVersion?, budgetUsd?. 202.")
            .Produces<BatchAccepted>(202).ProducesProblem(400).ProducesProblem(402).ProducesProblem(403)
            .ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        group.MapGet("", ListAsync).WithName("PersonaBatches")
            .WithSummary("The persona's batches with their progress, oldest first. Query: offset (0), limit (20).")
            .Produces<Page<BatchSummary>>().ProducesProblem(400).ProducesProblem(404);
        group.MapGet("/{batchId}", GetAsync).WithName("Batch")
            .WithSummary("A batch: status, reason, progress and every item with a signed link to its picture.")
            .Produces<BatchPayload>().ProducesProblem(404);
        group.MapGet("/{batchId}/events", BatchEvents.StreamAsync).WithName("BatchEvents")
            .WithSummary("The batch's summary as Server-Sent Events (event: progress) until it ends (event: end).")
            .Produces<string>(200, "text/event-stream").ProducesProblem(404);
        group.MapGet("/{batchId}/zip", BatchZip.WriteAsync).WithName("BatchZip")
            .WithSummary("A zip of the batch's pictures so far, named by index and prompt, with manifest.json.")
            .Produces<Stream>(200, "application/zip").ProducesProblem(404);
        foreach (var control in Controls)
            group.MapPost($"/{{batchId}}/{control.Action}", (string personaId, string batchId, HttpContext http,
                    [AsParameters] Services services) => ControlAsync(personaId, batchId, http, services, control))
                .WithName(control.Name).WithSummary(control.Summary).Documents<EmptyBody>("application/json")
                .Produces<BatchSummary>(202).ProducesProblem(404).ProducesProblem(409);
    }

    private static async Task<IResult> CreateAsync(string personaId, HttpContext http, [AsParameters] Services s,
        IInstanceLedger ledger, PersonaPictures pictures, BatchOptions options, IOptions<PersonasSettings> settings)
    {
        var owner = http.User.Owner();
        var ct = http.RequestAborted;
        var (body, bodyProblem) = await JsonBody.ReadAsync(http, settings.Value.MaxJsonBodyBytes);
        if (bodyProblem is not null) return bodyProblem;
        var (request, problems) = BatchRequest.Parse(body as JsonObject);
        if (problems is not null) return ProblemWriter.Invalid(http, problems);
        var (idem, keyProblem) = IdempotentStart.Read(http, Route, personaId, body);
        if (keyProblem is not null) return keyProblem;
        var batchId = idem!.NewId(16);
        var instanceId = GenerateBatchOrchestrator.InstanceId(personaId, batchId);
        var batch = await s.Batches.GetBatchAsync(owner, batchId, ct);
        IResult Answer(OrchestrationMetadata instance) => batch is null ? NotFound(http, batchId)
            : TypedResults.Accepted(BatchSummary.From(batch).ResultUri,
                new BatchAccepted(BatchSummary.From(batch), InstancePayloads.Management(http, instance)));
        if (await idem.EarlierAsync(s.Client, ledger, instanceId, Answer) is { } earlier) return earlier;

        if (await s.Catalog.GetPersonaAsync(owner, personaId, ct) is not { } persona)
            return PersonaEndpoints.NotFound(http, personaId);
        if (PersonaEndpoints.WorkRefusal(http, persona, s.Clock.GetUtcNow(), request!.Usage) is { } refusal)
            return refusal;
        if (persona.ModelFor(request.ModelVersion) is not { } model)
            return ProblemWriter.Result(http, 409, "No trained version", request.ModelVersion is null
                ? "The persona has no trained version that passed validation yet; train it first."
                : $"The persona has no version {request.ModelVersion}.", "modelVersion");
        var lora = pictures.Reference(persona, model, model.ActiveWeightsBlob);
        string provider;
        try { provider = pictures.ProviderFor(lora); }
        catch (ImageGenerationException ex)
        {
            return ProblemWriter.Result(http, 409, "No image provider", ex.Message, "personaId");
        }
        var concurrency = Math.Max(1, options.Concurrency);
        var wave = Math.Min(concurrency, request.Prompts.Count);
        var firstWave = pictures.EstimateUsd(lora, wave);
        if (request.BudgetUsd is { } cap && firstWave > cap)
            return ProblemWriter.Invalid(http, "budgetUsd",
                $"the first {wave} picture(s) are estimated at ${firstWave:0.00}, over the batch's budget of "
                + $"${cap:0.00}.");
        if (await BudgetGuard.RefuseAsync(http, s.Catalog, owner, persona.Id, firstWave,
                $"The first {wave} picture(s) on {provider}", null, options.OwnerBudgetUsd) is { } overBudget)
            return overBudget;

        PlatformSizes.TryGet(request.Platform, out var size);
        await s.Batches.SaveBatchAsync(new Batch(batchId, owner, persona.Id, model.Version, request.Platform,
            size.Width, size.Height, request.BlendStrength, request.Usage, concurrency, request.BudgetUsd,
            request.Template, request.Prompts.Select((p, i) => new BatchItem(i,
                p.Replace(BatchRequest.TriggerPlaceholder, persona.TriggerWord), request.Seed + i)).ToList(),
            s.Clock.GetUtcNow())
        {
            Label = provider == DryRunImageGenerator.ProviderName ? DryRunImageGenerator.Label : null,
        }, ct);
        batch = await s.Batches.GetBatchAsync(owner, batchId, ct);
        return await idem.StartAsync(s.Client, ledger, s.Clock, GenerateBatchOrchestrator.Name,
            new GenerateBatchInput(owner, batchId, persona.Id, request.Prompts.Count, concurrency)
            {
                ItemsPerExecution = Math.Max(concurrency, options.ItemsPerExecution),
            }, instanceId, Answer);
    }

    private static async Task<IResult> ListAsync(string personaId, HttpContext http, [AsParameters] Services s,
        int? offset, int? limit)
    {
        var (page, problem) = PageRequest.Read(http, offset, limit);
        if (problem is not null) return problem;
        var owner = http.User.Owner();
        if (await s.Catalog.GetPersonaAsync(owner, personaId, http.RequestAborted) is null)
            return PersonaEndpoints.NotFound(http, personaId);
        var all = await s.Batches.ListBatchesAsync(owner, personaId, http.RequestAborted);
        return TypedResults.Ok(page.Of(all, BatchSummary.From, $"/api/personas/{personaId}/batches"));
    }

    private static async Task<IResult> GetAsync(string personaId, string batchId, HttpContext http,
        [AsParameters] Services s, BlobUrlSigner signer) =>
        await FindAsync(s.Batches, http, personaId, batchId) is { } batch
            ? TypedResults.Ok(BatchPayload.From(batch, signer.Links(http.Request)))
            : NotFound(http, batchId);

    /// <summary>
    /// Changes the batch's state when it allows the action (else 409) and wakes the workflow for resume and cancel;
    /// a pause is read by the workflow before its next wave.
    /// </summary>
    private static async Task<IResult> ControlAsync(string personaId, string batchId, HttpContext http, Services s,
        (string Action, string Name, BatchStatus[] From, BatchStatus To, string Summary) control)
    {
        if (await FindAsync(s.Batches, http, personaId, batchId) is null) return NotFound(http, batchId);
        var now = s.Clock.GetUtcNow();
        var allowed = false;
        var batch = await s.Batches.UpdateBatchAsync(http.User.Owner(), batchId, b =>
        {
            if (!(allowed = control.From.Contains(b.Status))) return b;
            return control.To == BatchStatus.Canceled
                ? b with { Status = control.To, Reason = "Canceled by the owner.", FinishedAt = now }
                : b with { Status = control.To };
        }, http.RequestAborted);
        if (batch is null) return NotFound(http, batchId);
        if (!allowed)
            return ProblemWriter.Result(http, 409, "Not allowed now", $"The batch is {batch.Status}; "
                + $"{control.Action} applies to a batch that is {string.Join(" or ", control.From)}.", "batchId");
        if (control.To != BatchStatus.Paused)
            await s.Client.RaiseEventAsync(GenerateBatchOrchestrator.InstanceId(personaId, batchId),
                GenerateBatchOrchestrator.WakeEvent, control.Action, http.RequestAborted);
        var summary = BatchSummary.From(batch);
        return TypedResults.Accepted(summary.ResultUri, summary);
    }

    /// <summary>The owner's batch, if it belongs to that persona.</summary>
    internal static async Task<Batch?> FindAsync(IBatchCatalog batches, HttpContext http, string personaId,
        string batchId) =>
        await batches.GetBatchAsync(http.User.Owner(), batchId, http.RequestAborted) is { } batch
        && batch.PersonaId == personaId ? batch : null;

    internal static IResult NotFound(HttpContext http, string batchId) =>
        ProblemWriter.Result(http, 404, "Not found", $"There is no batch '{batchId}' for this persona.", "batchId");
}
