namespace Personas.Domain.Stores;

/// <summary>Who started a workflow instance, and with which request (a hash), as first recorded.</summary>
public sealed record InstanceClaim(string InstanceId, string Owner, string? RequestHash, DateTimeOffset ClaimedAt);

/// <summary>
/// What the API promises about workflow instances and the durable engine does not keep: which owner an instance
/// belongs to (so another owner's instance looks missing), and which raised events were already applied (so a
/// retried delivery with the same id counts once). Kept beside the catalog, whatever backend runs the workflows.
/// </summary>
public interface IInstanceLedger
{
    /// <summary>
    /// Claims <paramref name="instanceId"/> for <paramref name="owner"/> unless it is claimed; returns the claim
    /// that stands.
    /// </summary>
    Task<InstanceClaim> ClaimAsync(string instanceId, string owner, string? requestHash, DateTimeOffset at,
        CancellationToken ct = default);

    Task<InstanceClaim?> FindClaimAsync(string instanceId, CancellationToken ct = default);

    /// <summary>The instance ids of <paramref name="instanceIds"/> that <paramref name="owner"/> claimed.</summary>
    Task<IReadOnlySet<string>> OwnedAsync(string owner, IReadOnlyCollection<string> instanceIds,
        CancellationToken ct = default);

    /// <summary>Records that event <paramref name="eventId"/> is being delivered; false when it already was.</summary>
    Task<bool> TryRecordEventAsync(string instanceId, string eventId, CancellationToken ct = default);

    /// <summary>Takes back a recorded event whose delivery failed, so a retry can deliver it.</summary>
    Task ForgetEventAsync(string instanceId, string eventId, CancellationToken ct = default);

    /// <summary>Forgets the instance's claim and events, once its history is purged.</summary>
    Task ForgetInstanceAsync(string instanceId, CancellationToken ct = default);
}
