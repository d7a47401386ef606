namespace Personas.Api.Recovery;

/// <summary>The startup repair (<see cref="StartupRepair"/>), under <c>Personas:Recovery:*</c>.</summary>
public sealed class RecoverySettings
{
    public const string Section = "Personas:Recovery";

    /// <summary>False skips the repair at startup.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How old an upload's staging folder or pending-blob note must be before the sweep removes it, in minutes: older
    /// than any upload still running (another host may share the data directory).
    /// </summary>
    public double LeftoverMinutes { get; set; } = 30;
}
