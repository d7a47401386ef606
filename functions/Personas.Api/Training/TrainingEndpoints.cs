using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Personas.Domain.Personas;
using Personas.Domain.Stores;
using Personas.Domain.Training;
using Microsoft.DurableTask.Client;
using Personas.Domain.Workflows;
using Personas.Api.Auth;
using Personas.Api.Blobs;
using Personas.Api.Hosting;
using Personas.Api.Instances;
using Personas.Api.Personas;
using Personas.Api.Problems;
using Personas.Api.Versions;
using Personas.Imaging.Preparation;
using Personas.Orchestrations.Training;
using Personas.Providers.Training;
using Personas.Api.OpenApi;

namespace Personas.Api.Training;

/// <summary>Starts, cancels and reports persona training. One run at a time per persona; a repeated start returns the running one.</summary>
public static class TrainingEndpoints
{
    public static void MapTrainingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/personas/{personaId}").WithTags("Training");
        group.MapPost("/train", StartAsync).WithName("TrainPersona")
            .WithSummary("Trains a new version of the persona's LoRA. Body: { provider?, steps?, learningRate?, rank?, resolution?, checkpointEvery?, budgetUsd? }. 202 with the status payload.")
            .Documents<TrainingBody>("application/json")
            .Produces<InstanceManagementPayload>(202).ProducesProblem(400).ProducesProblem(402)
            .ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        group.MapPost("/train/cancel", CancelAsync).WithName("CancelTraining")
            .WithSummary("Cancels the running training, at the provider too. Body: { reason? }.")
            .Documents<ReasonBody>("application/json").Produces<TrainingCanceling>(202)
            .ProducesProblem(404).ProducesProblem(409);
        group.MapGet("/status", StatusAsync).WithName("PersonaStatus")
            .WithSummary("Status, current step, progress and ETA of the persona's work.").Produces<PersonaStatusPayload>().ProducesProblem(404);
        group.MapGet("/costs", CostsAsync).WithName("PersonaCosts")
            .WithSummary("The persona's cost ledger: every priced provider call with its estimated cost, and the "
                + "total.")
            .Produces<CostsPayload>().ProducesProblem(404);
        group.MapGet("/events", TrainingEvents.StreamAsync).WithName("PersonaEvents")
            .WithSummary("The same as /status, as Server-Sent Events, until the work ends.")
            .Produces<string>(200, "text/event-stream").ProducesProblem(404);
    }

    private static async Task<IResult> StartAsync(string personaId, HttpContext http, ICatalog catalog,
        DurableTaskClient client, IInstanceLedger ledger, PhotoGates gates,
        TrainingProviders providers, TimeProvider clock, IOptions<PersonasSettings> settings, IOptions<TrainingSettings> training, ValidationOptions validation)
    {
        var owner = http.User.Owner();
        var (body, bodyProblem) = await JsonBody.ReadAsync(http, settings.Value.MaxJsonBodyBytes);
        if (bodyProblem is not null) return bodyProblem;
        if (body is not null and not JsonObject) return ProblemWriter.Invalid(http, "body", "Send a JSON object.");
        var (options, problem) = TrainingRequest.Parse(body as JsonObject, providers);
        if (problem is { } p) return ProblemWriter.Invalid(http, p);
        var (idem, keyProblem) = IdempotentStart.Read(http, "/api/personas/{personaId}/train", personaId, body);
        if (keyProblem is not null) return keyProblem;
        var instanceId = idem!.InstanceId($"train-{personaId}");
        IResult Answer(OrchestrationMetadata instance) => StartOrchestration.Accepted(http, instance, settings.Value);
        // A repeated key is answered before any other check: the first request may have spent the budget.
        if (await idem.EarlierAsync(client, ledger, instanceId, Answer) is { } earlier) return earlier;

        if (await catalog.GetPersonaAsync(owner, personaId, http.RequestAborted) is not { } persona) return PersonaEndpoints.NotFound(http, personaId);
        if (PersonaEndpoints.WorkRefusal(http, persona, clock.GetUtcNow()) is { } refusal) return refusal;
        var provider = options!.Provider ?? providers.Names[0];
        if (await BudgetGuard.RefuseAsync(http, catalog, owner, personaId, providers.EstimateUsd(provider, options.StepsOrDefault),
                $"{options.StepsOrDefault} steps on {provider}", options.BudgetUsd, training.Value.OwnerBudgetUsd) is { } overBudget)
            return overBudget;
        var running = await LiveRunAsync(persona, client, http.RequestAborted);
        if (running is not null) return StartOrchestration.Accepted(http, running, settings.Value);
        // Preparing, training or validating with no live instance (terminated, or died before recording a failure) must not stick.
        if (persona.Status == PersonaStatus.Preparing && persona.DatasetInstanceId is { } dataset
                && await client.GetStatusAsync(dataset, http.RequestAborted) is { IsActive: true })
            return ProblemWriter.Result(http, 409, "Persona busy", "The dataset is being prepared; training can start once that finishes.", "personaId");
        if (persona.Dataset is null && (await catalog.ListPhotosAsync(owner, personaId, http.RequestAborted)).Count < gates.MinPhotos)
            return ProblemWriter.Result(http, 409, "Not enough photos", $"Training needs a dataset of at least {gates.MinPhotos} accepted photos.", "photos");

        var version = persona.Models.Count == 0 ? 1 : persona.Models.Max(m => m.Version) + 1;
        // Scheduled first, claimed second (TrainingClaim): a host killed in between leaves a run that claims for
        // itself.
        var (created, concurrent) = await idem.ScheduleAsync(client, ledger, clock, TrainPersonaOrchestrator.Name,
            new TrainPersonaInput(owner, personaId, version, options!, training.Value.TimeoutMinutes,
                validation.Enabled, persona.TrainingInstanceId),
            instanceId, Answer);
        if (created is null) return concurrent!;
        // Claimed only if nobody else started a run since we read the persona: of two racing POSTs one run trains,
        // the other's run finds itself superseded and ends.
        var claimed = await catalog.UpdatePersonaAsync(owner, personaId,
            p => TrainingClaim.Apply(p, persona.TrainingInstanceId, instanceId, clock.GetUtcNow()),
            http.RequestAborted);
        if (claimed?.TrainingInstanceId != instanceId)
            return ProblemWriter.Result(http, 409, "Persona busy", "Another training run started at the same time.",
                "personaId");
        return Answer((await client.GetStatusAsync(instanceId, http.RequestAborted))!);
    }

    private static async Task<IResult> CancelAsync(string personaId, HttpContext http, ICatalog catalog, DurableTaskClient client, IOptions<PersonasSettings> settings)
    {
        var (body, bodyProblem) = await JsonBody.ReadAsync(http, settings.Value.MaxJsonBodyBytes);
        if (bodyProblem is not null) return bodyProblem;
        if (await catalog.GetPersonaAsync(http.User.Owner(), personaId, http.RequestAborted) is not { } persona) return PersonaEndpoints.NotFound(http, personaId);
        if (await LiveRunAsync(persona, client, http.RequestAborted) is not { InstanceId: var id })
            return ProblemWriter.Result(http, 409, "Nothing to cancel", "No training is running for this persona.",
                "personaId");
        var reason = body?["reason"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";
        await client.RaiseEventAsync(id, TrainPersonaOrchestrator.CancelEvent,
            reason.Length > 500 ? reason[..500] : reason, cancellation: http.RequestAborted);
        return TypedResults.Accepted($"/api/personas/{personaId}/status", new TrainingCanceling(id));
    }

    /// <summary>
    /// The persona's training run while it is still going. The run writes Ready or Failed in its last activity, and
    /// its instance completes a moment later: in that gap the run is over, so a new run may start and a cancel has
    /// nothing to stop.
    /// </summary>
    private static async Task<OrchestrationMetadata?> LiveRunAsync(Persona persona, DurableTaskClient client,
        CancellationToken ct)
    {
        if (persona.TrainingInstanceId is not { } id || persona.Status is PersonaStatus.Ready or PersonaStatus.Failed)
            return null;
        return await client.GetStatusAsync(id, ct) is { IsActive: true } running ? running : null;
    }

    private static async Task<IResult> CostsAsync(string personaId, HttpContext http, ICatalog catalog)
    {
        var owner = http.User.Owner();
        if (await catalog.GetPersonaAsync(owner, personaId, http.RequestAborted) is null) return PersonaEndpoints.NotFound(http, personaId);
        var entries = await catalog.ListCostsAsync(owner, personaId, http.RequestAborted);
        return TypedResults.Ok(new CostsPayload(personaId, entries.Sum(e => e.EstimatedUsd), entries));
    }

    private static async Task<IResult> StatusAsync(string personaId, HttpContext http, ICatalog catalog,
        DurableTaskClient client, BlobUrlSigner signer)
    {
        if (await catalog.GetPersonaAsync(http.User.Owner(), personaId, http.RequestAborted) is not { } persona) return PersonaEndpoints.NotFound(http, personaId);
        return TypedResults.Ok(await PersonaStatusPayload.ReadAsync(persona, client, signer.Links(http.Request),
            http.RequestAborted));
    }
}

/// <summary>
/// What <c>/status</c> and <c>/events</c> report. <c>models</c> are the trained versions with signed links on their
/// validation images; <c>activeVersion</c> is the one generation uses.
/// </summary>
public sealed record PersonaStatusPayload(string PersonaId, PersonaStatus Status, string? Reason, string? Step, string? Provider, int? CurrentStep, int? TotalSteps,
    int? Percent, DateTimeOffset? Eta, string? LastLog, string? InstanceId, string? RuntimeStatus,
    IReadOnlyList<ModelPayload> Models, int? ActiveVersion)
{
    public bool Finished => Status is PersonaStatus.Ready or PersonaStatus.Failed or PersonaStatus.Prepared or PersonaStatus.Draft;

    public static async Task<PersonaStatusPayload> ReadAsync(Persona persona, DurableTaskClient client,
        Func<string, string> link, CancellationToken ct)
    {
        var instanceId = persona.Status is PersonaStatus.Preparing ? persona.DatasetInstanceId : persona.TrainingInstanceId ?? persona.DatasetInstanceId;
        var instance = instanceId is null ? null : await client.GetStatusAsync(instanceId, ct);
        var progress = instance is not null && instanceId == persona.TrainingInstanceId ? instance.ReadCustomStatusAs<TrainingProgress>() : null;
        return new PersonaStatusPayload(persona.Id, persona.Status, persona.StatusReason, progress?.Step ?? persona.Status.ToString().ToLowerInvariant(),
            progress?.Provider, progress?.CurrentStep, progress?.TotalSteps, progress?.Percent, progress?.Eta, progress?.LastLog,
            instanceId, instance?.RuntimeStatus.ToString(),
            persona.Models.Select(m => ModelPayload.From(m, link)).ToList(), persona.ActiveModel?.Version);
    }
}

/// <summary>A cancel sent to the running training instance.</summary>
public sealed record TrainingCanceling(string Canceling);

/// <summary>The persona's cost ledger and its total.</summary>
public sealed record CostsPayload(string PersonaId, decimal TotalEstimatedUsd, IReadOnlyList<CostEntry> Entries);
