namespace Personas.Domain.Batches;

/// <summary>
/// Running until every item is done or failed (Completed), unless the owner pauses or cancels it, or a wave's
/// budget or consent check stops it (Stopped, with the reason).
/// </summary>
public enum BatchStatus { Running, Paused, Completed, Canceled, Stopped }

public enum BatchItemStatus { Pending, Done, Failed }

/// <summary>One picture of a batch: its prompt and seed, and once made, where it is kept and what it cost.</summary>
public sealed record BatchItem(int Index, string Prompt, long Seed)
{
    public BatchItemStatus Status { get; init; } = BatchItemStatus.Pending;
    public string? Blob { get; init; }
    public string? Provider { get; init; }
    public string? Error { get; init; }
    public decimal CostUsd { get; init; }
}

/// <summary>
/// Many pictures of a persona with one model version, size and LoRA scale, made a wave at a time. The items are the
/// truth of progress; the workflow only decides what runs next.
/// </summary>
public sealed record Batch(string Id, string Owner, string PersonaId, int ModelVersion, string Platform, int Width,
    int Height, double BlendStrength, string Usage, int Concurrency, decimal? BudgetUsd, string? Template,
    IReadOnlyList<BatchItem> Items, DateTimeOffset CreatedAt)
{
    public BatchStatus Status { get; init; } = BatchStatus.Running;
    public string? Reason { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Set when the dry run makes the pictures.</summary>
    public string? Label { get; init; }

    public static bool IsFinal(BatchStatus status) =>
        status is BatchStatus.Completed or BatchStatus.Canceled or BatchStatus.Stopped;

    public int Count(BatchItemStatus status) => Items.Count(i => i.Status == status);

    public decimal SpentUsd() => Items.Sum(i => i.CostUsd);

    public Batch WithItem(BatchItem item) =>
        this with { Items = Items.Select(i => i.Index == item.Index ? item : i).ToList() };
}
