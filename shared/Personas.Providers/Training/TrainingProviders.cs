namespace Personas.Providers.Training;

/// <summary>
/// The configured training providers in failover order (Personas:Training:Providers; by default fal, replicate, jobs,
/// local). The dry-run provider is present only when nothing else is configured, so it never stands in for a real
/// provider that failed.
/// </summary>
public sealed class TrainingProviders
{
    private readonly IReadOnlyList<ITrainingProvider> _providers;

    private readonly IReadOnlyDictionary<string, decimal> _pricePerStep;

    /// <param name="pricePerStepUsd">Estimated USD per training step by provider name; unlisted providers (the dry run) cost nothing.</param>
    public TrainingProviders(IEnumerable<ITrainingProvider> configured, TimeProvider clock, TimeSpan? dryRunDuration = null,
        IReadOnlyDictionary<string, decimal>? pricePerStepUsd = null)
    {
        _pricePerStep = new Dictionary<string, decimal>(pricePerStepUsd ?? new Dictionary<string, decimal>(), StringComparer.OrdinalIgnoreCase);
        var list = configured.ToList();
        _providers = list.Count > 0 ? list : [new DryRunTrainingProvider(clock, dryRunDuration)];
    }

    public decimal EstimateUsd(string provider, int steps) => _pricePerStep.GetValueOrDefault(provider) * steps;

    public IReadOnlyList<string> Names => _providers.Select(p => p.Name).ToList();

    public ITrainingProvider Get(string name) =>
        _providers.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new TrainingProviderException(name, null, $"'{name}' is not a configured training provider (configured: {string.Join(", ", Names)}).", canFailOver: false);

    /// <summary>The order to try for one run: the caller's choice first, then the rest in the configured order.</summary>
    public IReadOnlyList<ITrainingProvider> StartingWith(string? preferred) =>
        preferred is null ? _providers : [Get(preferred), .. _providers.Where(p => !p.Name.Equals(preferred, StringComparison.OrdinalIgnoreCase))];
}
