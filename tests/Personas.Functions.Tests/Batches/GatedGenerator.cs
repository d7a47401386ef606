using Microsoft.Extensions.DependencyInjection;
using Personas.Providers.Generation;

namespace Personas.Functions.Tests.Batches;

/// <summary>
/// The dry run with a gate in front: a test can hold pictures in flight (to pause or cancel mid-wave, or to see
/// how many run at once) and release them. Counts the pictures in flight and the most seen at once.
/// </summary>
public sealed class GatedGenerator : IImageGenerator
{
    private readonly object _lock = new();
    private TaskCompletionSource _gate = Opened();
    private int _inFlight, _maxInFlight, _calls;

    public IImageGenerator Inner { get; set; } = null!;
    public string Name => Inner.Name;
    public int InFlight { get { lock (_lock) return _inFlight; } }
    public int MaxInFlight { get { lock (_lock) return _maxInFlight; } }
    public int Calls { get { lock (_lock) return _calls; } }

    /// <summary>Serves this generator, with the dry run behind it and the given prices, as the only provider.</summary>
    public void Register(IServiceCollection services, string prices) =>
        services.AddSingleton(sp =>
        {
            Inner = sp.GetRequiredService<DryRunImageGenerator>();
            return new ImageGenerators([], this, Personas.Api.Hosting.PriceList.Parse(prices));
        });

    public void Hold()
    {
        lock (_lock) if (_gate.Task.IsCompleted) _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Release()
    {
        lock (_lock) _gate.TrySetResult();
    }

    public void ResetMax()
    {
        lock (_lock) _maxInFlight = _inFlight;
    }

    public bool CanRun(LoraReference lora) => Inner.CanRun(lora);

    public async Task<GeneratedImage> GenerateAsync(ImageRequest request, CancellationToken ct)
    {
        Task gate;
        lock (_lock)
        {
            _maxInFlight = Math.Max(_maxInFlight, ++_inFlight);
            _calls++;
            gate = _gate.Task;
        }
        try
        {
            await gate.WaitAsync(ct);
            return await Inner.GenerateAsync(request, ct);
        }
        finally
        {
            lock (_lock) _inFlight--;
        }
    }

    public Task<Stream> OpenAsync(GeneratedImage image, CancellationToken ct) => Inner.OpenAsync(image, ct);

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }
}
