namespace Personas.Orchestrations.Batches;

/// <summary>Batch generation, under <c>Personas:Batches:*</c>.</summary>
public sealed class BatchOptions
{
    public const string Section = "Personas:Batches";

    /// <summary>How many pictures of one batch are made at once (a wave). Default 4.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>The owner-wide cap (Personas:Training:OwnerBudgetUsd), read again before each wave; null: none.</summary>
    public decimal? OwnerBudgetUsd { get; set; }
}
