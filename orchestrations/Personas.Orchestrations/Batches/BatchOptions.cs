namespace Personas.Orchestrations.Batches;

/// <summary>Batch generation, under <c>Personas:Batches:*</c>.</summary>
public sealed class BatchOptions
{
    public const string Section = "Personas:Batches";

    /// <summary>How many pictures of one batch are made at once (a wave). Default 4.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>
    /// How many pictures one execution of the workflow makes before it continues as new with what is left, so a long
    /// batch's history (replayed on every step) stays short. Default 100.
    /// </summary>
    public int ItemsPerExecution { get; set; } = 100;

    private decimal? _ownerBudgetUsd;

    /// <summary>The owner-wide cap (Personas:Training:OwnerBudgetUsd), checked before each wave; null: none.</summary>
    public decimal? OwnerBudgetUsd => _ownerBudgetUsd;

    /// <summary>Takes the owner-wide cap from the training settings, where all paid work reads it.</summary>
    public BatchOptions WithOwnerBudget(decimal? usd)
    {
        _ownerBudgetUsd = usd;
        return this;
    }
}
