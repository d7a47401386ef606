using Microsoft.Extensions.DependencyInjection;
using Personas.Functions.Tests.Posts;
using Personas.Providers.Generation;

namespace Personas.Functions.Tests.Hardening.Consent;

/// <summary>
/// Holds every picture whose prompt carries <see cref="Marker"/> until the test opens the gate, so a test can act
/// while a generation is in flight.
/// </summary>
public sealed class PictureGate
{
    public const string Marker = "zqxgate";
    private SemaphoreSlim _entered = new(0);
    private TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Closes the gate again for the next test (tests of one class run one at a time).</summary>
    public void Close()
    {
        _entered = new SemaphoreSlim(0);
        _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async Task WaitEnteredAsync() =>
        Assert.True(await _entered.WaitAsync(TimeSpan.FromSeconds(60)), "no gated picture was started");

    public void Open() => _open.TrySetResult();

    internal async Task PassAsync(ImageRequest request, CancellationToken ct)
    {
        if (!request.Prompt.Contains(Marker)) return;
        _entered.Release();
        await _open.Task.WaitAsync(ct);
    }
}

/// <summary>The dry-run image provider behind the gate.</summary>
internal sealed class GatedGenerator(IImageGenerator inner, PictureGate gate) : IImageGenerator
{
    public string Name => inner.Name;

    public bool CanRun(LoraReference lora) => inner.CanRun(lora);

    public async Task<GeneratedImage> GenerateAsync(ImageRequest request, CancellationToken ct)
    {
        await gate.PassAsync(request, ct);
        return await inner.GenerateAsync(request, ct);
    }

    public Task<Stream> OpenAsync(GeneratedImage image, CancellationToken ct) => inner.OpenAsync(image, ct);
}

/// <summary>The posts host (dry-run trainer, fake model and social APIs, test clock) with the picture gate.</summary>
public sealed class ConsentApiHost : ApiHost
{
    public FakeSocial Social { get; private set; } = null!;
    public TestClock Clock { get; } = new();
    public PictureGate Gate { get; } = new();

    protected override async Task<IDictionary<string, string?>> ExtraSettingsAsync()
    {
        Social = await FakeSocial.StartAsync();
        var settings = PostsApiHost.Settings(Social);
        foreach (var (key, value) in PublicAddress()) settings[key] = value;
        return settings;
    }

    protected override void ReplaceServices(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton(sp =>
        {
            var dryRun = sp.GetRequiredService<DryRunImageGenerator>();
            return new ImageGenerators([new GatedGenerator(dryRun, Gate)], dryRun);
        });
    }

    public override async Task DisposeAsync()
    {
        Gate.Open();
        await base.DisposeAsync();
        await Social.DisposeAsync();
    }
}
