using Personas.Domain.Posts;

namespace Personas.Domain.Stores;

/// <summary>One page of posts and how many match in all.</summary>
public sealed record PostPage(IReadOnlyList<Post> Items, int Total);

/// <summary>Posts and brand kits, always for one owner. Posts featuring a persona are deleted with it.</summary>
public interface IPostCatalog
{
    /// <summary>Stores a post; saving the same id again replaces it (activities may repeat).</summary>
    Task SavePostAsync(Post post, CancellationToken ct = default);

    Task<Post?> GetPostAsync(string owner, string id, CancellationToken ct = default);

    /// <summary>Reads, changes and writes one post atomically. Returns null when it does not exist for this owner.</summary>
    Task<Post?> UpdatePostAsync(string owner, string id, Func<Post, Post> change, CancellationToken ct = default);

    /// <summary>Newest first, optionally filtered by status, persona and batch.</summary>
    Task<PostPage> ListPostsAsync(string owner, PostStatus? status, string? personaId, string? batchId, int offset, int limit, CancellationToken ct = default);

    /// <summary>Every owner's posts in one of <paramref name="statuses"/>, for the startup repair.</summary>
    Task<IReadOnlyList<Post>> ListPostsInStatusAsync(IReadOnlyCollection<PostStatus> statuses,
        CancellationToken ct = default);

    Task<BrandKit?> GetBrandKitAsync(string owner, CancellationToken ct = default);

    Task SaveBrandKitAsync(string owner, BrandKit kit, CancellationToken ct = default);
}
