using Personas.Functions.Tests;

namespace Personas.Browser.Tests;

/// <summary>The real host (dry-run providers, temp SQLite) with a short dry-run training: seconds, not minutes.</summary>
public sealed class DashboardHost : ApiHost
{
    protected override Task<IDictionary<string, string?>> ExtraSettingsAsync() =>
        Task.FromResult<IDictionary<string, string?>>(new Dictionary<string, string?>
        {
            ["Personas:Training:DryRunSeconds"] = "6",
        });
}
