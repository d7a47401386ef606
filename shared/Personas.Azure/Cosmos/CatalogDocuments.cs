using System.Security.Cryptography;
using System.Text;
using Personas.Domain.Personas;

namespace Personas.Azure.Cosmos;

/// <summary>The <c>type</c> field of every catalog document.</summary>
internal static class DocumentTypes
{
    public const string Persona = "persona", TriggerWord = "triggerWord", Photo = "photo", ProviderJob = "providerJob",
        Cost = "cost", Generation = "generation", Audit = "audit", Post = "post", BrandKit = "brandKit",
        InstanceClaim = "instanceClaim", InstanceEvent = "instanceEvent", Sample = "engagementSample",
        Conversation = "conversation", Batch = "batch";

    /// <summary>What goes with a persona when it is deleted (SQLite deletes the same tables).</summary>
    public static readonly IReadOnlyList<string> PersonaChildren =
        [Photo, ProviderJob, Cost, Generation, Post, Sample, Conversation, Batch];
}

/// <summary>Partition key values and deterministic document ids.</summary>
internal static class DocumentKeys
{
    // Prefixes keep an owner's partition and an instance's partition apart whatever the strings hold.
    public static string OwnerPartition(string owner) => "owner/" + Require(owner, nameof(owner));

    public static string InstancePartition(string instanceId) => "instance/" + Require(instanceId, nameof(instanceId));

    /// <summary>
    /// <c>type|part|part</c>, each part reduced to characters that are safe in a URL path: anything else (including
    /// those Cosmos forbids in ids, and '%', which gateways may decode) becomes <c>~XX</c> per UTF-8 byte. Ids over
    /// Cosmos' 255-character limit become a hash of the full form.
    /// </summary>
    public static string Id(string type, params string[] parts)
    {
        var id = type + "|" + string.Join("|", parts.Select(p => Escape(Require(p, "id"))));
        return id.Length <= 255 ? id
            : type + "|sha256-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
    }

    /// <summary>The UTC instant as fixed-width ISO 8601, so string order is time order.</summary>
    public static string SortKey(DateTimeOffset at) => at.UtcDateTime.ToString("O");

    private static string Escape(string part)
    {
        if (part.All(IsSafe)) return part;
        var escaped = new StringBuilder(part.Length * 2);
        foreach (var b in Encoding.UTF8.GetBytes(part))
        {
            if (b < 0x80 && IsSafe((char)b)) escaped.Append((char)b);
            else escaped.Append('~').Append(b.ToString("X2"));
        }
        return escaped.ToString();
    }

    private static bool IsSafe(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '@';

    private static string Require(string value, string name) =>
        string.IsNullOrEmpty(value) ? throw new ArgumentException($"The {name} must not be empty.", name) : value;
}

/// <summary>
/// A catalog record in an envelope: the fields queries filter on beside the record itself, as SQLite keeps indexed
/// columns beside its <c>doc</c> column.
/// </summary>
internal sealed record ItemDocument<TBody>
{
    public required string Id { get; init; }
    public required string Pk { get; init; }
    public required string Type { get; init; }
    public string? PersonaId { get; init; }
    public string? SortKey { get; init; }
    public string? Status { get; init; }
    public string? BatchId { get; init; }
    public string? Provider { get; init; }
    public string? JobId { get; init; }
    public TBody? Body { get; init; }
}

/// <summary>The keys of a document, for listings that sort and page before reading bodies.</summary>
internal sealed record DocumentKey(string Id, string? SortKey);

/// <summary>
/// A photo counted against its persona's cap; <see cref="At"/> dates the reservation (see TryAddPhotos).
/// </summary>
internal sealed record PhotoSlot(string Id, DateTimeOffset At);

/// <summary>Marks a persona whose deletion has begun: it reads as missing from then on.</summary>
internal sealed record PersonaTombstone(DateTimeOffset At, int Photos);

/// <summary>
/// The persona with the ids of its photos (the cap is checked and updated with this document's ETag) and, once
/// deletion starts, its tombstone, when the body is dropped.
/// </summary>
internal sealed record PersonaDocument
{
    public required string Id { get; init; }
    public required string Pk { get; init; }
    public string Type { get; init; } = DocumentTypes.Persona;
    public required string PersonaId { get; init; }
    public required string TriggerWord { get; init; }
    public required string SortKey { get; init; }
    public IReadOnlyList<PhotoSlot> PhotoSlots { get; init; } = [];
    public PersonaTombstone? Tombstone { get; init; }
    public Persona? Body { get; init; }

    public Persona? Live => Tombstone is null ? Body : null;
}

/// <summary>
/// Holds a trigger word for one persona of the owner. Created before the persona and marked committed after it, so
/// a crash in between leaves a reservation that a later create may take over (see TryCreatePersona).
/// </summary>
internal sealed record TriggerReservation
{
    public required string Id { get; init; }
    public required string Pk { get; init; }
    public string Type { get; init; } = DocumentTypes.TriggerWord;
    public required string PersonaId { get; init; }
    public required DateTimeOffset ReservedAt { get; init; }
    public bool Committed { get; init; }
}
