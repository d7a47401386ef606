using Personas.Functions.Tests;

namespace Personas.Browser.Tests;

/// <summary>The real host (dry-run providers, temp SQLite), with a dry-run training of seconds.</summary>
public sealed class DashboardHost : ApiHost
{
    protected override Task<IDictionary<string, string?>> ExtraSettingsAsync() =>
        Task.FromResult<IDictionary<string, string?>>(new Dictionary<string, string?>
        {
            // Long enough for the live progress to show a few steps between 0 and 100 %.
            ["Personas:Training:DryRunSeconds"] = "8",
        });
}
