using Personas.Domain.Blobs;
using Personas.Domain.Personas;
using Personas.Domain.Posts;
using Personas.Domain.Stores;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Personas.Domain.Workflows;
using Personas.Providers.Publishing;
using Personas.Providers.Training;

namespace Personas.Orchestrations.Deletion;

/// <summary>
/// The persona's workflow instances: preparation, training (with its dataset sub-workflow), generations (finished,
/// and running), batches, and its posts' workflows. Deletion and consent withdrawal stop them.
/// </summary>
public static class PersonaWork
{
    public static async Task<IReadOnlyList<Post>> PostsAsync(IPostCatalog posts, Persona persona, CancellationToken ct) =>
        (await posts.ListPostsAsync(persona.Owner, null, persona.Id, null, 0, int.MaxValue, ct)).Items;

    public static async Task<IReadOnlyList<OrchestrationMetadata>> InstancesAsync(DurableTaskClient client,
        ICatalog catalog, IPostCatalog postCatalog, Persona persona, CancellationToken ct)
    {
        var posts = await PostsAsync(postCatalog, persona, ct);
        var found = new List<OrchestrationMetadata>();
        foreach (var prefix in new[] { $"dataset-{persona.Id}", $"train-{persona.Id}", $"batch-{persona.Id}-" })
            found.AddRange(await client.ListByPrefixAsync(prefix, ct));
        foreach (var generation in await catalog.ListGenerationsAsync(persona.Owner, persona.Id, ct))
            if (await client.GetStatusAsync($"gen-{generation.Id}", ct) is { } instance) found.Add(instance);
        found.AddRange(await RunningGenerationsAsync(client, persona, ct));
        foreach (var prefix in posts.Select(p => $"posts-{p.BatchId}").Distinct())
            found.AddRange(await client.ListByPrefixAsync(prefix, ct));
        foreach (var post in posts)
        {
            if (await client.GetStatusAsync(Posts.PostLifecycleOrchestrator.InstanceId(post.Id), ct) is { } lifecycle)
                found.Add(lifecycle);
            var collector = Analytics.CollectMetricsOrchestrator.InstanceId(post.Id);
            if (await client.GetStatusAsync(collector, ct) is { } collection) found.Add(collection);
        }
        return found.DistinctBy(i => i.InstanceId).ToList();
    }

    /// <summary>A running generation has no record yet: its input names the persona.</summary>
    private static async Task<IReadOnlyList<OrchestrationMetadata>> RunningGenerationsAsync(DurableTaskClient client,
        Persona persona, CancellationToken ct)
    {
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = "gen-", FetchInputsAndOutputs = true, PageSize = 1000,
            Statuses =
            [
                OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running,
                OrchestrationRuntimeStatus.Suspended,
            ],
        };
        var found = new List<OrchestrationMetadata>();
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(ct))
            if (instance.ReadInputAs<Generations.GenerateWithPersonaInput>() is { } input
                && input.Owner == persona.Owner && input.PersonaId == persona.Id)
                found.Add(instance);
        return found;
    }

    public static async Task<Persona> ByTicketAsync(ICatalog catalog, DeletePersonaInput input, CancellationToken ct) =>
        (await catalog.ListPersonasAsync(input.Owner, ct)).FirstOrDefault(p => p.DeletionTicket == input.Ticket)
        ?? throw new InvalidDataException("The persona of this deletion is already gone.");
}

/// <summary>
/// Asks a running training to cancel (its workflow cancels the provider job and ends), and terminates preparation and
/// generations, which hold nothing outside this service. With Force, terminates whatever still runs. Returns how many
/// still run.
/// </summary>
public sealed class StopPersonaWorkActivity(ICatalog catalog, IPostCatalog posts, IInstanceLedger ledger,
    DurableTaskClient client) : TaskActivity<StopWorkInput, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, StopWorkInput input)
    {
        var ct = context.CancellationToken;
        var persona = await PersonaWork.ByTicketAsync(catalog, input.Deletion, ct);
        var running = (await PersonaWork.InstancesAsync(client, catalog, posts, persona, ct))
            .Where(i => i.IsActive).ToList();
        foreach (var instance in running)
        {
            if (!input.Force && instance.Name == "TrainPersona")
                await client.RaiseEventOnceAsync(ledger, instance.InstanceId,
                    Training.TrainPersonaOrchestrator.CancelEvent,
                    "the persona is being deleted", "deletion-cancel", ct);
            else
                await client.TerminateInstanceAsync(instance.InstanceId, "The persona is being deleted.", ct);
        }
        return input.Force ? 0 : running.Count(i => i.Name == "TrainPersona");
    }
}

/// <summary>
/// Asks each provider that ran a job for the persona to delete what it holds (recording what it keeps), deletes the
/// persona's files, workflow histories and records, and writes the audit entry: last, in one transaction with the
/// records, so a failure before it leaves the persona in place for a retry.
/// </summary>
public sealed class ErasePersonaActivity(ICatalog catalog, IPostCatalog posts, IInstanceLedger ledger, IBlobStore blobs,
    DurableTaskClient client, TrainingProviders providers, Publishers publishers, AuditFingerprint fingerprint,
    TimeProvider clock) : TaskActivity<StopWorkInput, DeletionSummary>
{
    public override async Task<DeletionSummary> RunAsync(TaskActivityContext context, StopWorkInput input)
    {
        var ct = context.CancellationToken;
        var persona = await PersonaWork.ByTicketAsync(catalog, input.Deletion, ct);
        var notes = await ProviderLeftoversAsync(persona, ct);
        if (input.Force) notes.Add("The training did not stop within 2 minutes and was terminated; its provider job may still run until it ends.");

        var instances = await PersonaWork.InstancesAsync(client, catalog, posts, persona, ct);
        var generations = (await catalog.ListGenerationsAsync(persona.Owner, persona.Id, ct)).Count;
        var files = await blobs.DeletePrefixAsync(BlobPaths.Join(persona.Owner, persona.Id), ct);
        foreach (var post in await PersonaWork.PostsAsync(posts, persona, ct)) // the local outbox is ours; posts on social networks stay the owner's
            if (publishers.Outbox.FolderFor(persona.Owner, post.Id) is var folder && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        var purged = 0;
        foreach (var instance in instances.OrderByDescending(i => i.InstanceId.Length)) // sub-workflows first
        {
            if (instance.IsActive) await TerminateAsync(instance.InstanceId, ct);
            if ((await client.PurgeInstanceAsync(instance.InstanceId, cancellation: ct)).PurgedInstanceCount > 0)
                purged++;
            await ledger.ForgetInstanceAsync(instance.InstanceId, ct);
        }
        var photos = await catalog.DeletePersonaAsync(persona.Owner, persona.Id, new AuditEntry(persona.Owner, persona.Id, "persona.deleted", clock.GetUtcNow(),
            $"Deleted persona (name {fingerprint.Of(persona.Name)}, trigger {fingerprint.Of(persona.TriggerWord)}): " +
            $"{persona.Models.Count} trained version(s), {generations} generation(s), {files} stored files, " +
            $"{purged} workflow histories, and the photo records.{string.Concat(notes.Select(n => " " + n))}"), ct) ?? 0;
        return new DeletionSummary(photos, files, generations, persona.Models.Count, purged, notes.Count, input.Force);
    }

    /// <summary>Terminating is a message to the instance; a purge only takes it once it has finished.</summary>
    private async Task TerminateAsync(string instanceId, CancellationToken ct)
    {
        await client.TerminateInstanceAsync(instanceId, "The persona was deleted.", ct);
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
        patience.CancelAfter(TimeSpan.FromSeconds(30));
        await client.WaitForInstanceCompletionAsync(instanceId, patience.Token);
    }

    /// <summary>Every job the persona ran (trained versions and failed or canceled runs alike), each asked once; what stays is noted.</summary>
    private async Task<List<string>> ProviderLeftoversAsync(Persona persona, CancellationToken ct)
    {
        var jobs = persona.Models.Select(m => new TrainingJob(m.Provider, m.ProviderJobId) { ExecutionName = m.ProviderExecution })
            .Concat((await catalog.ListProviderJobsAsync(persona.Owner, persona.Id, ct)).Select(l => new TrainingJob(l.Provider, l.JobId)))
            .DistinctBy(j => (j.Provider, j.JobId));
        var notes = new List<string>();
        foreach (var job in jobs)
        {
            if (!providers.Names.Contains(job.Provider, StringComparer.OrdinalIgnoreCase))
            {
                notes.Add($"{job.Provider} is no longer configured, so it was not asked to delete job {job.JobId}.");
                continue;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            try
            {
                if (await providers.Get(job.Provider).DeleteAsync(job, timeout.Token) is { } note) notes.Add(note);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or TrainingProviderException or IOException)
            {
                notes.Add($"{job.Provider} could not be asked to delete job {job.JobId}: {ex.Message}");
            }
        }
        return notes;
    }
}
