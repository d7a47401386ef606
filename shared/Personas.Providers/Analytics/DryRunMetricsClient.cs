using System.Security.Cryptography;
using System.Text;
using Personas.Domain.Analytics;

namespace Personas.Providers.Analytics;

/// <summary>
/// The dry run's stand-in for posts published to the local outbox: counters made up from the post id (the same
/// post always gives the same numbers) that grow with the hours since publishing, and labelled as such.
/// </summary>
public sealed class DryRunMetricsClient : IMetricsClient
{
    public const string Label = "dry-run: synthetic metrics derived from the post id, not read from any platform";

    public string Name => "outbox";

    public Task<MetricsReading> FetchAsync(MetricsRequest request, CancellationToken ct)
    {
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes(request.PostId));
        long Base(int i, int max) => 1 + seed[i] * max / 256;
        // Most engagement comes early: a week gives about three times the first day.
        var growth = Math.Log2(1 + Math.Max(0, request.AfterHours)) / Math.Log2(25);
        long Grown(int i, int max) => (long)Math.Round(Base(i, max) * growth);
        var counts = new EngagementCounts(Grown(0, 4000), Grown(1, 2500), Grown(2, 300), Grown(3, 40), Grown(4, 25),
            Grown(5, 30), Grown(6, 60));
        return Task.FromResult(new MetricsReading(counts, Label));
    }
}
