using Azure.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Personas.Functions.Tests.Trainer;

/// <summary>
/// The real host with the <c>jobs</c> provider against <see cref="FakeContainerApps"/>, beside Azurite for the
/// artifacts the training container uploads (the host downloads them from there, over loopback http).
/// </summary>
public sealed class TrainerJobsHost : ApiHost
{
    public FakeContainerApps Arm { get; private set; } = null!;
    public AzuriteBlobs Blobs { get; private set; } = null!;

    protected override async Task<IDictionary<string, string?>> ExtraSettingsAsync()
    {
        Arm = await FakeContainerApps.StartAsync();
        Blobs = await AzuriteBlobs.StartAsync();
        return new Dictionary<string, string?>(PublicAddress().Concat(Arm.HostSettings()));
    }

    protected override void ReplaceServices(IServiceCollection services) =>
        services.AddSingleton<TokenCredential>(new StaticTokenCredential(FakeContainerApps.Token));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Arm.DisposeAsync();
        await Blobs.DisposeAsync();
    }
}
