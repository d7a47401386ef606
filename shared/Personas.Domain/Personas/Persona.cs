using Personas.Imaging.Preparation;

namespace Personas.Domain.Personas;

/// <summary>
/// Where a persona is in its life. Only workflows move it: draft → preparing → prepared → training → validating → ready,
/// or failed from any working state. Withdrawing consent stops all of it. Deleting is final: the persona is going.
/// </summary>
public enum PersonaStatus { Draft, Preparing, Prepared, Training, Validating, Ready, Failed, Deleting }

public sealed record ConsentRestrictions(bool NoCommercialUse = false, bool NoThirdParty = false, int? TimeLimitDays = null);

/// <summary>What the person agreed to, and when, from where and with what client: the record a withdrawal or an audit reads.</summary>
public sealed record Consent(
    bool FacialRecognition,
    bool AiTraining,
    bool LikenessUsage,
    bool DataRetention,
    ConsentRestrictions Restrictions,
    DateTimeOffset GrantedAt,
    string? IpAddress,
    string? UserAgent,
    DateTimeOffset? WithdrawnAt = null,
    string? WithdrawnReason = null)
{
    /// <summary>Consent is valid while it is complete, not withdrawn, and within its time limit.</summary>
    public bool IsValidAt(DateTimeOffset now) =>
        FacialRecognition && AiTraining && LikenessUsage && DataRetention && WithdrawnAt is null
        && (Restrictions.TimeLimitDays is not { } days || now < GrantedAt.AddDays(days));

    public string? RefusalAt(DateTimeOffset now) =>
        WithdrawnAt is not null ? $"Consent was withdrawn on {WithdrawnAt:yyyy-MM-dd}."
        : Restrictions.TimeLimitDays is { } days && now >= GrantedAt.AddDays(days) ? $"Consent expired after {days} days."
        : !IsValidAt(now) ? "Consent is incomplete." : null;

    /// <summary>Why a use of the likeness is refused: invalid consent, or a restriction that forbids this kind of use.</summary>
    public string? RefusalFor(string usage, DateTimeOffset now) => RefusalAt(now)
        ?? (usage == Usages.Commercial && Restrictions.NoCommercialUse ? "The persona's consent forbids commercial use."
        : usage == Usages.ThirdParty && Restrictions.NoThirdParty ? "The persona's consent forbids use by or for third parties."
        : null);
}

/// <summary>What a generation is for, checked against the consent's restrictions.</summary>
public static class Usages
{
    public const string Personal = "personal", Commercial = "commercial", ThirdParty = "thirdParty";
    public static readonly IReadOnlyList<string> All = [Personal, Commercial, ThirdParty];
}

/// <summary>One image of a prepared set: its name in the packages, its caption, and who wrote the caption ("template" or "model").</summary>
public sealed record DatasetEntry(string Image, string Caption, string CaptionSource);

/// <summary>A prepared training set: where each package is, and how it was made.</summary>
public sealed record DatasetPackages(string FalZip, string ReplicateZip, string KohyaFolder, string KohyaConfig, int Images, DateTimeOffset PreparedAt)
{
    public IReadOnlyList<DatasetEntry> Entries { get; init; } = [];
}

public sealed record Persona
{
    public required string Id { get; init; }
    public required string Owner { get; init; }
    public required string Name { get; init; }
    public required string TriggerWord { get; init; }
    public required PersonaMode Mode { get; init; }
    public required Consent Consent { get; init; }
    public required PersonaStatus Status { get; init; }
    public string? StatusReason { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public string? DatasetInstanceId { get; init; }
    public DatasetPackages? Dataset { get; init; }
    public string? TrainingInstanceId { get; init; }
    /// <summary>Every trained version, oldest first; the active one is used unless a caller names another.</summary>
    public IReadOnlyList<Training.PersonaModel> Models { get; init; } = [];
    /// <summary>
    /// The version the owner chose (activate, rollback), or that the last passing training made. Null on personas
    /// trained before versions could be chosen: their newest usable version is active, as it always was.
    /// </summary>
    public int? ActiveVersion { get; init; }
    /// <summary>Set when deletion starts: the deletion workflow knows the persona only by this, so its history holds no persona id.</summary>
    public string? DeletionTicket { get; init; }
    /// <summary>How the persona speaks in chat and captions (optional; see <see cref="PersonaProfile"/>).</summary>
    public string? Voice { get; init; }
    /// <summary>What the persona talks about.</summary>
    public IReadOnlyList<string> Topics { get; init; } = [];
    /// <summary>Topics the persona never touches: prompts, captions and chat that name one are refused.</summary>
    public IReadOnlyList<string> Restrictions { get; init; } = [];

    /// <summary>The version generation uses: the one asked for, else the active one.</summary>
    public Training.PersonaModel? ModelFor(int? version) =>
        version is { } v ? Models.FirstOrDefault(m => m.Version == v) : ActiveModel;

    /// <summary>The chosen version while it is usable, else the newest that passed validation.</summary>
    public Training.PersonaModel? ActiveModel =>
        Models.FirstOrDefault(m => m.Version == ActiveVersion && m.Usable) ?? Models.LastOrDefault(m => m.Usable);
}
