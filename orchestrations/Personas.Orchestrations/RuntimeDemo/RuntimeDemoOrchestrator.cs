using Microsoft.DurableTask;

namespace Personas.Orchestrations.RuntimeDemo;

public sealed record RuntimeDemoInput(IReadOnlyList<string> Sentences, int ReviewTimeoutMinutes = 60) : IValidatedInput
{
    public IEnumerable<(string Field, string Reason)> Validate()
    {
        if (Sentences is null || Sentences.Count is 0 or > 100)
            yield return ("sentences", "Give between 1 and 100 sentences.");
        else if (Sentences.Any(s => string.IsNullOrWhiteSpace(s) || s.Length > 1000))
            yield return ("sentences", "Each sentence must be non-empty and at most 1,000 characters.");
        if (ReviewTimeoutMinutes is < 1 or > 10_080)
            yield return ("reviewTimeoutMinutes", "Must be between 1 and 10,080 (one week).");
    }
}

public sealed record RuntimeDemoProgress(string Step, int Done, int Total, string Message);

public sealed record RuntimeDemoResult(int Sentences, int Words, string ApprovedBy, string Summary);

/// <summary>
/// The runtime's showcase, run by <c>./personas demo</c>: fan out one activity per sentence, pause on a durable
/// timer, wait for a human's approval event, then finish. Each step shows in the custom status.
/// </summary>
public sealed class RuntimeDemoOrchestrator : TaskOrchestrator<RuntimeDemoInput, RuntimeDemoResult>
{
    public const string Name = "RuntimeDemo";
    public const string ApprovalEvent = "Approve";

    public override async Task<RuntimeDemoResult> RunAsync(TaskOrchestrationContext context, RuntimeDemoInput input)
    {
        var total = input.Sentences.Count;
        context.SetCustomStatus(new RuntimeDemoProgress("counting", 0, total, $"Counting words in {total} sentences in parallel"));
        var counts = await Task.WhenAll(input.Sentences.Select(s => context.CallActivityAsync<int>(nameof(CountWordsActivity), s)));

        context.SetCustomStatus(new RuntimeDemoProgress("cooling-off", total, total, "Waiting 2 seconds on a durable timer"));
        await context.CreateTimer(TimeSpan.FromSeconds(2), CancellationToken.None);

        context.SetCustomStatus(new RuntimeDemoProgress("awaiting-approval", total, total, $"Waiting for the '{ApprovalEvent}' event"));
        string approver;
        try
        {
            approver = await context.WaitForExternalEvent<string>(ApprovalEvent, TimeSpan.FromMinutes(input.ReviewTimeoutMinutes));
        }
        catch (TaskCanceledException)
        {
            approver = "nobody (review timed out)";
        }

        var summary = await context.CallActivityAsync<string>(nameof(SummarizeActivity), new SummarizeInput(counts, approver));
        context.SetCustomStatus(new RuntimeDemoProgress("done", total, total, summary));
        return new RuntimeDemoResult(total, counts.Sum(), approver, summary);
    }
}

public sealed class CountWordsActivity : TaskActivity<string, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, string sentence) =>
        Task.FromResult(sentence.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length);
}

public sealed record SummarizeInput(IReadOnlyList<int> WordCounts, string ApprovedBy);

public sealed class SummarizeActivity : TaskActivity<SummarizeInput, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, SummarizeInput input) =>
        Task.FromResult($"{input.WordCounts.Count} sentences, {input.WordCounts.Sum()} words (longest {input.WordCounts.DefaultIfEmpty().Max()}), approved by {input.ApprovedBy}");
}
