using Microsoft.DurableTask;
using Personas.Domain.Batches;
using Personas.Domain.Blobs;
using Personas.Domain.Personas;
using Personas.Domain.Stores;
using Personas.Domain.Training;
using Personas.Orchestrations.Generations;
using Personas.Providers.Generation;

namespace Personas.Orchestrations.Batches;

public sealed record WaveRequest(GenerateBatchInput Batch, int Images);

/// <summary>Whether the next wave may run (Running), must wait (Paused), or the batch ends, and why.</summary>
public sealed record WaveCheck(BatchStatus Status, string? Reason);

public sealed record BatchItemRef(string Owner, string BatchId, int Index);

/// <summary>An item that failed for good, or the batch's end; only the set fields change.</summary>
public sealed record BatchChange(string Owner, string BatchId)
{
    public int? FailedItem { get; init; }
    public string? Error { get; init; }
    public BatchStatus? Status { get; init; }
    public string? Reason { get; init; }
}

/// <summary>
/// Reads the batch, the persona's consent and the ledger before a wave: the owner's pause or cancel, a withdrawal,
/// and spending since the last wave all count.
/// </summary>
public sealed class CheckBatchWaveActivity(IBatchCatalog batches, ICatalog catalog, PersonaPictures pictures,
    BatchOptions options, TimeProvider clock) : TaskActivity<WaveRequest, WaveCheck>
{
    public override async Task<WaveCheck> RunAsync(TaskActivityContext context, WaveRequest input)
    {
        var ct = context.CancellationToken;
        var (owner, personaId) = (input.Batch.Owner, input.Batch.PersonaId);
        if (await batches.GetBatchAsync(owner, input.Batch.BatchId, ct) is not { } batch)
            return new(BatchStatus.Canceled, "The batch no longer exists.");
        // Consent first: a withdrawal wakes a paused batch, which must then stop rather than wait on.
        if (await LikenessConsent.RefusalAsync(catalog, owner, personaId, batch.Usage, clock.GetUtcNow(), ct)
            is { } refusal)
            return new(BatchStatus.Stopped, $"Consent: {refusal}");
        if (batch.Status != BatchStatus.Running) return new(batch.Status, batch.Reason);
        LoraReference lora;
        try { (_, _, lora) = await BatchPictures.LoraAsync(catalog, pictures, batch, ct); }
        catch (InvalidDataException ex) { return new(BatchStatus.Stopped, ex.Message); }
        var estimate = pictures.EstimateUsd(lora, input.Images);
        var next = $"the next {input.Images} picture(s) are estimated at ${estimate:0.00}";
        if (batch.BudgetUsd is { } cap && batch.SpentUsd() + estimate > cap)
            return new(BatchStatus.Stopped, $"Budget: {next}; with ${batch.SpentUsd():0.00} spent on this batch "
                + $"that is over its budget of ${cap:0.00}.");
        if (options.OwnerBudgetUsd is { } ownerCap && await catalog.OwnerSpentUsdAsync(owner, ct) is var spent
            && spent + estimate > ownerCap)
            return new(BatchStatus.Stopped, $"Budget: {next}; with ${spent:0.00} spent by this account that is "
                + $"over its budget of ${ownerCap:0.00} (Personas:Training:OwnerBudgetUsd).");
        return new(BatchStatus.Running, null);
    }
}

/// <summary>
/// Makes one item's picture and records it on the batch. Keyed in the ledger by instance and index: a redelivery
/// gets the stored picture back instead of paying again.
/// </summary>
public sealed class GenerateBatchItemActivity(IBatchCatalog batches, ICatalog catalog, PersonaPictures pictures)
    : TaskActivity<BatchItemRef, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, BatchItemRef input)
    {
        var ct = context.CancellationToken;
        var batch = await batches.GetBatchAsync(input.Owner, input.BatchId, ct)
            ?? throw new InvalidDataException($"Batch {input.BatchId} no longer exists.");
        var item = batch.Items[input.Index];
        if (item.Status == BatchItemStatus.Done) return true;
        var (_, _, lora) = await BatchPictures.LoraAsync(catalog, pictures, batch, ct);
        var picture = await pictures.MakeAsync(input.Owner,
            new ImageRequest(batch.PersonaId, item.Prompt, lora, batch.BlendStrength, batch.Width, batch.Height,
                item.Seed),
            BlobPaths.Join(input.Owner, batch.PersonaId, "batches", batch.Id, $"{input.Index:000}.jpg"), "batch",
            new CostKey(context.InstanceId, $"item/{input.Index}", 0), ct, batch.Usage);
        await batches.UpdateBatchAsync(input.Owner, input.BatchId, b => b.WithItem(item with
        {
            Status = BatchItemStatus.Done, Blob = picture.Blob, Provider = picture.Provider, Error = null,
            CostUsd = picture.CostUsd,
        }), ct);
        return true;
    }
}

/// <summary>Records a failed item, or the batch's end (never over an end the owner already chose).</summary>
public sealed class RecordBatchActivity(IBatchCatalog batches, TimeProvider clock) : TaskActivity<BatchChange, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, BatchChange input)
    {
        await batches.UpdateBatchAsync(input.Owner, input.BatchId, batch =>
        {
            if (input.FailedItem is { } index)
                batch = batch.WithItem(batch.Items[index] with
                {
                    Status = BatchItemStatus.Failed, Error = input.Error,
                });
            if (input.Status is { } status && !Batch.IsFinal(batch.Status))
                batch = batch with { Status = status, Reason = input.Reason, FinishedAt = clock.GetUtcNow() };
            return batch;
        }, context.CancellationToken);
        return true;
    }
}

/// <summary>The persona, model version and LoRA a batch renders with, as checked when it was created.</summary>
public static class BatchPictures
{
    public static async Task<(Persona Persona, PersonaModel Model, LoraReference Lora)> LoraAsync(ICatalog catalog,
        PersonaPictures pictures, Batch batch, CancellationToken ct)
    {
        var persona = await catalog.GetPersonaAsync(batch.Owner, batch.PersonaId, ct)
            ?? throw new InvalidDataException($"Persona {batch.PersonaId} no longer exists.");
        var model = persona.ModelFor(batch.ModelVersion)
            ?? throw new InvalidDataException($"The persona has no version {batch.ModelVersion} any more.");
        return (persona, model, pictures.Reference(persona, model, model.ActiveWeightsBlob));
    }
}
