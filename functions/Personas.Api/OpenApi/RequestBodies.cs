using Personas.Domain.Posts;

namespace Personas.Api.OpenApi;

// The bodies of routes that read JSON by hand (to name the field at fault in a problem); these records only describe
// those bodies to OpenAPI (.Documents<T>), the handlers' own checks are the rules.

public sealed record ReasonBody(string? Reason);

public sealed record PhotoImportBody(IReadOnlyList<string> Urls);

public sealed record TrainingBody(string? Provider, int? Steps, double? LearningRate, int? Rank, int? Resolution,
    int? CheckpointEvery, decimal? BudgetUsd);

public sealed record GenerationBody(string PersonaId, string Prompt, string Platform, double? BlendStrength, long? Seed,
    int? Count, string? Usage, int? ModelVersion, bool? FaceSwap);

public sealed record SmartPostBody(string? ProjectTitle, string? Transcript, ContentAnalysisBody? ContentAnalysis,
    SmartPostSettingsBody Settings);

public sealed record ContentAnalysisBody(IReadOnlyList<string>? KeyTopics, IReadOnlyList<string>? Moments,
    string? Sentiment);

public sealed record SmartPostSettingsBody(IReadOnlyList<PostKind> ContentTypes,
    IReadOnlyList<SocialPlatform> Platforms, double? Creativity, string? Tone, bool? UsePersona, string? PersonaId,
    string? Usage, long? Seed, bool? FaceSwap);

public sealed record PostEditBody(string? Hook, string? Caption, string? Cta, IReadOnlyList<string>? Hashtags);

/// <summary>replaceEdits: true lets the new copy replace fields the owner edited by hand (kept otherwise).</summary>
public sealed record FeedbackBody(string Feedback, bool? ReplaceEdits);

/// <summary>schedule: either at (ISO 8601 with offset) or bestTime true with an optional IANA time zone.</summary>
public sealed record ScheduleBody(DateTimeOffset? At, bool? BestTime, string? TimeZone);

/// <summary>A bulk action: the ids, plus that action's own fields (reason; at, bestTime, timeZone).</summary>
public sealed record BulkBody(IReadOnlyList<string> Ids, string? Reason, DateTimeOffset? At, bool? BestTime,
    string? TimeZone);

public sealed record BrandKitBody(string? TextColor, string? AccentColor, string? ScrimColor, string? Font,
    string? Watermark, string? Logo);

/// <summary>An empty object: the action takes no fields.</summary>
public sealed record EmptyBody;

/// <summary>A photo upload: one file part per photo, any part name.</summary>
public sealed record PhotoUploadForm(IFormFileCollection Files);
