namespace Personas.Api.Recovery;

/// <summary>
/// The repair of stranded work (<see cref="RepairSweep"/>: at start in the local host, on a timer in the Function App),
/// under <c>Personas:Recovery:*</c>.
/// </summary>
public sealed class RecoverySettings
{
    public const string Section = "Personas:Recovery";

    /// <summary>False skips the repair (at start in the local host, on the timer in the Function App).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How old an upload's staging folder or pending-blob note must be before the sweep removes it, in minutes: older
    /// than any upload still running (another host may share the data directory).
    /// </summary>
    public double LeftoverMinutes { get; set; } = 30;

    /// <summary>
    /// In the Function App, whose timer repairs while other instances work: how long a persona or post must have been
    /// unchanged before it counts as stranded, in minutes. Posts are written just before their run is scheduled, so a
    /// sweep without this wait could fail posts a request is about to start. The local host repairs before it serves
    /// anything and waits for nothing.
    /// </summary>
    public double StrandedMinutes { get; set; } = 15;
}
