namespace Personas.Providers.FaceSwap;

/// <summary>
/// The face-swap provider in use: the one Personas:FaceSwap:Provider names, else fal.ai when configured, else
/// Replicate, else the dry run (only when neither is configured), with its estimated price per swap.
/// </summary>
public sealed class FaceSwappers(IReadOnlyList<IFaceSwapper> configured, string? preferred,
    IReadOnlyDictionary<string, decimal> pricePerSwapUsd)
{
    public IFaceSwapper Current { get; } =
        configured.FirstOrDefault(s => s.Name.Equals(preferred, StringComparison.OrdinalIgnoreCase))
        ?? configured.FirstOrDefault() ?? new DryRunFaceSwapper();

    public decimal EstimateUsd(int swaps) => pricePerSwapUsd.GetValueOrDefault(Current.Name) * swaps;
}
