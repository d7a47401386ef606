using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using Newtonsoft.Json.Linq;

namespace Personas.Durable.Hosting;

/// <summary>
/// Gives a failed instance's status its FailureDetails where the backend's instance row has none. Azure Storage's
/// Instances table keeps only <c>FailureDetails.ToString()</c> ("type: message") as the output; the details
/// themselves (type, message, inner failure, stack) stay on the ExecutionCompleted row of the history table, and the
/// sidecar maps <see cref="OrchestrationState.FailureDetails"/> to the SDK's <c>FailureDetails</c>, so without this a
/// client saw null. The status of a failed instance is filled from its history: its FailureDetails, and its output
/// becomes what the orchestrator returned, as on the other backends. One history read per failed instance read
/// with inputs and outputs.
/// </summary>
public sealed class FailureDetailsFromHistory(IOrchestrationService service, IOrchestrationServiceClient client,
    int maxConcurrentOrchestrations, int maxConcurrentActivities)
    : OrchestrationServiceDecorator(service, client, maxConcurrentOrchestrations, maxConcurrentActivities)
{
    public override async Task<OrchestrationState> GetOrchestrationStateAsync(string instanceId, string executionId) =>
        await FillAsync(await base.GetOrchestrationStateAsync(instanceId, executionId));

    public override async Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId,
        bool allExecutions)
    {
        var states = await base.GetOrchestrationStateAsync(instanceId, allExecutions);
        if (states is null) return states!;
        for (var i = 0; i < states.Count; i++) states[i] = await FillAsync(states[i]);
        return states;
    }

    public override async Task<OrchestrationState> WaitForOrchestrationAsync(string instanceId, string executionId,
        TimeSpan timeout, CancellationToken cancellationToken) =>
        await FillAsync(await base.WaitForOrchestrationAsync(instanceId, executionId, timeout, cancellationToken));

    public override async Task<OrchestrationQueryResult> GetOrchestrationWithQueryAsync(OrchestrationQuery query,
        CancellationToken cancellationToken)
    {
        var result = await base.GetOrchestrationWithQueryAsync(query, cancellationToken);
        if (!query.FetchInputsAndOutputs || result?.OrchestrationState is not { } states) return result!;
        var filled = new List<OrchestrationState>(states.Count);
        foreach (var state in states) filled.Add(await FillAsync(state));
        return new OrchestrationQueryResult(filled, result.ContinuationToken);
    }

    private async Task<OrchestrationState> FillAsync(OrchestrationState state)
    {
        if (state is not { OrchestrationStatus: OrchestrationStatus.Failed, FailureDetails: null }
            || state.OrchestrationInstance?.ExecutionId is not { } executionId) return state;
        var json = await InnerClient.GetOrchestrationHistoryAsync(state.OrchestrationInstance.InstanceId, executionId);
        if (Completion(json) is not { } completed) return state;
        state.FailureDetails = completed.Failure;
        state.Output = completed.Output;
        return state;
    }

    /// <summary>The last ExecutionCompleted with failure details in a history as the backend serializes it.</summary>
    internal static (FailureDetails Failure, string? Output)? Completion(string? historyJson)
    {
        if (string.IsNullOrEmpty(historyJson)) return null;
        var completed = JArray.Parse(historyJson).OfType<JObject>().LastOrDefault(e =>
            e.Value<int?>(nameof(HistoryEvent.EventType)) == (int)EventType.ExecutionCompleted
            && e[nameof(ExecutionCompletedEvent.FailureDetails)] is JObject);
        if (completed?[nameof(ExecutionCompletedEvent.FailureDetails)]?.ToObject<FailureDetails>() is not { } failure)
            return null;
        return (failure, completed.Value<string?>(nameof(ExecutionCompletedEvent.Result)));
    }
}
