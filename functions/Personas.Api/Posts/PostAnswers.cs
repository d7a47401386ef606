using System.Text.Json.Serialization;
using Personas.Api.Instances;
using Personas.Domain.Posts;

namespace Personas.Api.Posts;

// What the post routes answer besides the post itself.

/// <summary>A smart-post batch started: its posts and where to follow them.</summary>
public sealed record PostBatchAccepted(string BatchId, long Seed, IReadOnlyList<PostStarted> Posts, string List,
    InstanceManagementPayload Instance);

public sealed record PostStarted(string Id, PostKind Kind, SocialPlatform Platform, long Seed, string Link);

/// <summary>An edit stored as a new revision.</summary>
public sealed record PostEdited(string Id, int Revision, string Link);

/// <summary>A regeneration started: the revision it will write, and whether it replaces the owner's edits.</summary>
public sealed record PostRegenerating(string Id, int Revision, string? Feedback, bool ReplaceEdits, string Link,
    InstanceManagementPayload Instance);

/// <summary>A lifecycle action sent to the post's workflow; at is the publishing time it asked for.</summary>
public sealed record PostActionAccepted(string Id, string Action, string Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? At)
{
    /// <summary>Set when bestTime chose the time: learned (from the owner's own engagement) or default.</summary>
    public string? BestTime { get; init; }
}

/// <summary>A bulk action: how many posts acted, and each post's own status and detail.</summary>
public sealed record BulkPostResults(string Action, int Accepted, IReadOnlyList<BulkPostResult> Results);

public sealed record BulkPostResult(string Id, int Status, string Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? At);
