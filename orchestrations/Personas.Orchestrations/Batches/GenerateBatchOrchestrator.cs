using Microsoft.DurableTask;
using Personas.Domain.Batches;
using Personas.Orchestrations.Dataset;
using Personas.Providers.Generation;

namespace Personas.Orchestrations.Batches;

/// <summary>
/// The batch to make: its items are in the store, by index, so the history stays small. <see cref="Next"/>,
/// <see cref="Done"/> and <see cref="Failed"/> carry the progress into the next execution when the workflow continues
/// as new after <see cref="ItemsPerExecution"/> pictures.
/// </summary>
public sealed record GenerateBatchInput(string Owner, string BatchId, string PersonaId, int Items, int Concurrency)
{
    public int ItemsPerExecution { get; init; } = 100;
    public int Next { get; init; }
    public int Done { get; init; }
    public int Failed { get; init; }
}

/// <summary>
/// Makes a batch's pictures a wave at a time, at most <see cref="GenerateBatchInput.Concurrency"/> at once. Before
/// each wave one activity reads the batch and the persona: paused by the owner, the workflow waits for a wake-up
/// (resume or cancel) and reads again; canceled, it ends; consent withdrawn or the wave's estimate over the batch's
/// or the owner's budget, it stops with that reason. A picture that fails is recorded and the others go on. The
/// replayed history is the progress, so a host restart redoes nothing that finished, and each picture is keyed in
/// the ledger by this instance and its index, so a redelivered activity is not paid twice. After
/// <see cref="GenerateBatchInput.ItemsPerExecution"/> pictures it continues as new (same instance, so the same keys)
/// with the rest, which keeps a 500-picture batch's history from growing with every wave.
/// </summary>
public sealed class GenerateBatchOrchestrator : TaskOrchestrator<GenerateBatchInput, BatchStatus>
{
    public const string Name = "GenerateBatch";

    /// <summary>Sent on resume and cancel; the batch record says which.</summary>
    public const string WakeEvent = "BatchWake";

    public static string InstanceId(string personaId, string batchId) => $"batch-{personaId}-{batchId}";

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(
        new RetryPolicy(3, TimeSpan.FromSeconds(5), 2)
        {
            HandleFailure = failure => !failure.IsCausedBy<ConsentException>()
                && !failure.IsCausedBy<InvalidDataException>() && !failure.IsCausedBy<ImageGenerationException>(),
        });

    public override async Task<BatchStatus> RunAsync(TaskOrchestrationContext context, GenerateBatchInput input)
    {
        var pending = new Queue<int>(Enumerable.Range(input.Next, input.Items - input.Next));
        var (done, failed) = (input.Done, input.Failed);
        while (pending.Count > 0)
        {
            if (pending.Peek() - input.Next >= input.ItemsPerExecution)
            {
                context.ContinueAsNew(input with { Next = pending.Peek(), Done = done, Failed = failed });
                return BatchStatus.Running;
            }
            var wave = pending.Take(input.Concurrency).ToList();
            var check = await context.CallActivityAsync<WaveCheck>(nameof(CheckBatchWaveActivity),
                new WaveRequest(input, wave.Count), Retry);
            if (check.Status == BatchStatus.Paused)
            {
                context.SetCustomStatus(new { step = "paused", done, failed, total = input.Items });
                await context.WaitForExternalEvent<string>(WakeEvent);
                continue;
            }
            if (check.Status != BatchStatus.Running) return await FinishAsync(context, input, check);

            context.SetCustomStatus(new { step = "generating", done, failed, total = input.Items });
            var outcomes = await Task.WhenAll(wave.Select(index => TryAsync(context.CallActivityAsync(
                nameof(GenerateBatchItemActivity), new BatchItemRef(input.Owner, input.BatchId, index), Retry))));
            foreach (var (index, error) in wave.Zip(outcomes))
            {
                pending.Dequeue();
                if (error is null) { done++; continue; }
                failed++;
                await context.CallActivityAsync(nameof(RecordBatchActivity),
                    new BatchChange(input.Owner, input.BatchId) { FailedItem = index, Error = error }, Retry);
            }
        }
        return await FinishAsync(context, input, new WaveCheck(BatchStatus.Completed, null));
    }

    private static async Task<BatchStatus> FinishAsync(TaskOrchestrationContext context, GenerateBatchInput input,
        WaveCheck end)
    {
        await context.CallActivityAsync(nameof(RecordBatchActivity),
            new BatchChange(input.Owner, input.BatchId) { Status = end.Status, Reason = end.Reason }, Retry);
        context.SetCustomStatus(new { step = end.Status.ToString().ToLowerInvariant(), reason = end.Reason });
        return end.Status;
    }

    private static async Task<string?> TryAsync(Task work)
    {
        try { await work; return null; }
        catch (TaskFailedException ex)
        {
            return ex.FailureDetails.InnerFailure?.ErrorMessage ?? ex.FailureDetails.ErrorMessage;
        }
    }
}
