using Personas.Domain.Analytics;
using Personas.Domain.Posts;

namespace Personas.Domain.Stores;

/// <summary>Engagement samples, always for one owner. A persona's samples are deleted with the persona.</summary>
public interface IAnalyticsCatalog
{
    /// <summary>Stores a sample; the same post and offset again replaces it (activities may repeat).</summary>
    Task SaveSampleAsync(EngagementSample sample, CancellationToken ct = default);

    /// <summary>The post's samples, oldest first.</summary>
    Task<IReadOnlyList<EngagementSample>> ListPostSamplesAsync(string owner, string postId,
        CancellationToken ct = default);

    /// <summary>Every sample of the persona's posts, oldest first.</summary>
    Task<IReadOnlyList<EngagementSample>> ListPersonaSamplesAsync(string owner, string personaId,
        CancellationToken ct = default);

    /// <summary>Every sample of the owner's posts on one platform, for learning the owner's best hours.</summary>
    Task<IReadOnlyList<EngagementSample>> ListPlatformSamplesAsync(string owner, SocialPlatform platform,
        CancellationToken ct = default);
}
