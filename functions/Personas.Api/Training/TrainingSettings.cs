namespace Personas.Api.Training;

/// <summary>Training settings: the failover order, the overall timeout, and the per-step prices used to refuse over-budget runs.</summary>
public sealed class TrainingSettings
{
    public const string Section = "Personas:Training";

    /// <summary>Providers to try, in order, among those configured. Default <c>fal,replicate,jobs,local</c>.</summary>
    public string Order { get; set; } = "fal,replicate,jobs,local";

    /// <summary>A run still going after this many minutes is canceled at the provider and fails. Default 120.</summary>
    public double TimeoutMinutes { get; set; } = 120;

    /// <summary>Estimated price per training step, in USD, by provider: <c>fal=0.002;replicate=0.0016</c>. Unlisted providers cost 0.</summary>
    public string PricePerStepUsd { get; set; } = "fal=0.002;replicate=0.0016";

    /// <summary>How long a dry-run training takes, in seconds. Default 10.</summary>
    public double DryRunSeconds { get; set; } = 10;

    /// <summary>The most an owner's ledger may hold across all their personas, in USD; work that would pass it is refused. Empty: no cap.</summary>
    public decimal? OwnerBudgetUsd { get; set; }

    public IReadOnlyDictionary<string, decimal> Prices() => Hosting.PriceList.Parse(PricePerStepUsd);
}
