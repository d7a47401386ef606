using Microsoft.Extensions.Options;
using Personas.Domain.Personas;
using Personas.Domain.Stores;
using Microsoft.DurableTask.Client;
using Personas.Domain.Workflows;
using Personas.Api.Auth;
using Personas.Api.Hosting;
using Personas.Api.Instances;
using Personas.Api.Personas;
using Personas.Api.Problems;
using Personas.Imaging.Preparation;
using Personas.Orchestrations.Dataset;

namespace Personas.Api.Datasets;

/// <summary>Starts dataset preparation. While one runs, asking again returns it: a retried POST never starts two.</summary>
public static class DatasetEndpoints
{
    public static void MapDatasetEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/personas/{personaId}/dataset", StartAsync).WithName("PrepareDataset").WithTags("Personas")
            .WithSummary("Frames, captions and packages the persona's photos for fal.ai, Replicate and Kohya. 202 with the status payload.")
            .Produces<InstanceManagementPayload>(202).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404)
            .ProducesProblem(409).ProducesProblem(422);

    private static async Task<IResult> StartAsync(string personaId, HttpContext http, ICatalog catalog,
        DurableTaskClient client, IInstanceLedger ledger, PhotoGates gates, TimeProvider clock,
        IOptions<PersonasSettings> settings)
    {
        var owner = http.User.Owner();
        var (idem, keyProblem) = IdempotentStart.Read(http, "/api/personas/{personaId}/dataset", personaId, null);
        if (keyProblem is not null) return keyProblem;
        var instanceId = idem!.InstanceId($"dataset-{personaId}");
        IResult Answer(OrchestrationMetadata instance) => StartOrchestration.Accepted(http, instance, settings.Value);
        if (await idem.EarlierAsync(client, ledger, instanceId, Answer) is { } earlier) return earlier;
        if (await catalog.GetPersonaAsync(owner, personaId, http.RequestAborted) is not { } persona)
            return PersonaEndpoints.NotFound(http, personaId);
        if (PersonaEndpoints.WorkRefusal(http, persona, clock.GetUtcNow()) is { } refusal) return refusal;
        var previous = persona.DatasetInstanceId is { } previousId
            ? await client.GetStatusAsync(previousId, http.RequestAborted) : null;
        if (persona.Status == PersonaStatus.Preparing && previous is { IsActive: true })
            return StartOrchestration.Accepted(http, previous, settings.Value);
        // Preparing with no live instance (terminated, purged, or died before it could record a failure) must not stick.
        var prior = persona.DatasetInstanceId;
        var photos = (await catalog.ListPhotosAsync(owner, personaId, http.RequestAborted)).Count;
        if (photos < gates.MinPhotos)
            return ProblemWriter.Result(http, 409, "Not enough photos", $"A dataset needs at least {gates.MinPhotos} accepted photos; this persona has {photos}.", "photos");
        if (!DatasetClaim.Allowed(persona, prior)) return Busy(http, persona.Status);

        // Scheduled first, claimed second (DatasetClaim): a host killed in between leaves a run that claims for itself.
        var (created, concurrent) = await idem.ScheduleAsync(client, ledger, clock, PrepareDatasetOrchestrator.Name,
            new PrepareDatasetInput(owner, personaId, Claim: true, PriorInstanceId: prior), instanceId, Answer);
        if (created is null) return concurrent!;
        var claimed = await catalog.UpdatePersonaAsync(owner, personaId,
            p => DatasetClaim.Apply(p, prior, instanceId, clock.GetUtcNow()), http.RequestAborted);
        if (claimed?.DatasetInstanceId != instanceId) return Busy(http, claimed?.Status);

        return Answer((await client.GetStatusAsync(instanceId, http.RequestAborted))!);
    }

    private static IResult Busy(HttpContext http, PersonaStatus? status) =>
        ProblemWriter.Result(http, 409, "Persona busy",
            $"The persona is {status}; a dataset can be prepared once that finishes.", "personaId");
}
