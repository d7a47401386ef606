namespace Personas.Durable.Tests.Infrastructure;

/// <summary>Waits on a condition with a deadline, instead of sleeping for a guessed time.</summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T>> read, Func<T, bool> until, TimeSpan? deadline = null,
        string? what = null)
    {
        var limit = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await read();
            if (until(value)) return value;
            if (DateTime.UtcNow > limit)
                throw new TimeoutException($"Gave up waiting for {what ?? "the condition"}; last value: {value}");
            await Task.Delay(25);
        }
    }

    public static Task<OrchestrationMetadata> Status(DurableTaskClient client, string instanceId,
        OrchestrationRuntimeStatus status, TimeSpan? deadline = null) =>
        Get(async () => (await client.GetInstanceAsync(instanceId))!, m => m?.RuntimeStatus == status, deadline,
            $"{instanceId} to be {status}");

    public static async Task<OrchestrationMetadata> Completion(DurableTaskClient client, string instanceId,
        TimeSpan? deadline = null)
    {
        using var cts = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(45));
        try
        {
            return await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            var now = await client.GetInstanceAsync(instanceId);
            throw new TimeoutException($"{instanceId} did not finish in time; it is {now?.RuntimeStatus}");
        }
    }
}
