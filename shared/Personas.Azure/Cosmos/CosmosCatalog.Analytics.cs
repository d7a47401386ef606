using System.Globalization;
using Personas.Domain.Analytics;
using Personas.Domain.Posts;
using static Personas.Azure.Cosmos.DocumentKeys;

namespace Personas.Azure.Cosmos;

public sealed partial class CosmosCatalog
{
    /// <summary>One document per post and offset, in the owner's partition, deleted with the persona.</summary>
    public Task SaveSampleAsync(EngagementSample sample, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var pk = OwnerPartition(sample.Owner);
        return UpsertAsync(new ItemDocument<EngagementSample>
        {
            Id = Id(DocumentTypes.Sample, sample.PostId, sample.AfterHours.ToString("R", CultureInfo.InvariantCulture)),
            Pk = pk, Type = DocumentTypes.Sample, PersonaId = sample.PersonaId, SortKey = SortKey(sample.At),
            Body = sample,
        }, pk, ct);
    }

    public Task<IReadOnlyList<EngagementSample>> ListPostSamplesAsync(string owner, string postId,
        CancellationToken ct = default) => SamplesAsync(owner, s => s.PostId == postId, ct);

    public Task<IReadOnlyList<EngagementSample>> ListPersonaSamplesAsync(string owner, string personaId,
        CancellationToken ct = default) => SamplesAsync(owner, s => s.PersonaId == personaId, ct);

    public Task<IReadOnlyList<EngagementSample>> ListPlatformSamplesAsync(string owner, SocialPlatform platform,
        CancellationToken ct = default) => SamplesAsync(owner, s => s.Platform == platform, ct);

    /// <summary>An owner's samples are few (three per published post): filtered here, not indexed.</summary>
    private async Task<IReadOnlyList<EngagementSample>> SamplesAsync(string owner, Func<EngagementSample, bool> keep,
        CancellationToken ct) =>
        (await QueryPartitionAsync<ItemDocument<EngagementSample>>(OwnerPartition(owner), DocumentTypes.Sample, ct))
            .Select(d => d.Body!).Where(keep).OrderBy(s => s.At).ThenBy(s => s.PostId, StringComparer.Ordinal).ToList();
}
