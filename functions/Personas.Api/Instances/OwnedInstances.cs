using System.Security.Cryptography;
using System.Text;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Personas.Domain.Stores;
using Personas.Domain.Workflows;

namespace Personas.Api.Instances;

/// <summary>
/// The result of an owned start: the instance (null when another owner holds the id), the claim, and whether
/// this call made it.
/// </summary>
internal sealed record OwnedStart(OrchestrationMetadata? Instance, InstanceClaim Claim, bool Created);

/// <summary>
/// Instances as the API sees them: each belongs to the owner who first claimed its id in the ledger. The owner also
/// travels as a tag, for backends and tools that show tags. Another owner's instance is never returned, and an id
/// another owner holds behaves like a free one: the caller's instance runs under that id plus a suffix of its own
/// (<see cref="Scoped"/>), which the API never shows, so no answer tells whether someone else uses an id.
/// </summary>
internal static class OwnedInstances
{
    public const string OwnerTag = "owner";

    /// <summary>
    /// Claims the id for the owner, then starts the instance once. An id claimed by another owner, or by this
    /// owner for a different request, is left alone: the result then has no instance, and says whose claim stands.
    /// </summary>
    public static async Task<OwnedStart> StartOwnedAsync(this DurableTaskClient client, IInstanceLedger ledger,
        TimeProvider clock, string owner, string name, object? input, string instanceId, string? requestHash,
        CancellationToken ct)
    {
        var claim = await ledger.ClaimAsync(instanceId, owner, requestHash, clock.GetUtcNow(), ct);
        if (claim.Owner != owner)
        {
            instanceId = Scoped(instanceId, owner);
            claim = await ledger.ClaimAsync(instanceId, owner, requestHash, clock.GetUtcNow(), ct);
        }
        if (claim.Owner != owner || claim.RequestHash != requestHash) return new OwnedStart(null, claim, false);
        var options = new StartOrchestrationOptions(instanceId)
        {
            Tags = new Dictionary<string, string> { [OwnerTag] = owner },
        };
        var (instance, created) = await client.StartOnceAsync(name, input, options, ct);
        return new OwnedStart(instance, claim, created);
    }

    /// <summary>Starts a workflow for a feature endpoint, under a fresh id that only this owner can claim.</summary>
    public static async Task<OrchestrationMetadata> StartNewOwnedAsync(this DurableTaskClient client,
        IInstanceLedger ledger, TimeProvider clock, string owner, string name, object? input, string instanceId,
        CancellationToken ct) =>
        (await client.StartOwnedAsync(ledger, clock, owner, name, input, instanceId, null, ct)).Instance
        ?? throw new InvalidOperationException($"Instance id '{instanceId}' is already another owner's.");

    /// <summary>The owner's instance with that id, or null: missing and not-yours look the same.</summary>
    public static async Task<OrchestrationMetadata?> FindOwnedAsync(this DurableTaskClient client,
        IInstanceLedger ledger, string owner, string instanceId, CancellationToken ct)
    {
        if (!InstanceRequests.InstanceId().IsMatch(instanceId)) return null;
        if ((await ledger.FindClaimAsync(instanceId, ct))?.Owner != owner)
        {
            instanceId = Scoped(instanceId, owner);
            if ((await ledger.FindClaimAsync(instanceId, ct))?.Owner != owner) return null;
        }
        return await client.GetStatusAsync(instanceId, ct);
    }

    /// <summary>
    /// The durable id of the owner's instance when another owner already holds <paramref name="instanceId"/>.
    /// '~' cannot appear in an id a caller chooses, so a scoped id never collides with a requested one.
    /// </summary>
    public static string Scoped(string instanceId, string owner) => $"{instanceId}~{OwnerSuffix(owner)}";

    /// <summary>The id the caller asked for: a durable id with the caller's own suffix shows without it.</summary>
    public static string DisplayId(string durableId, string owner)
    {
        var suffix = "~" + OwnerSuffix(owner);
        return durableId.EndsWith(suffix, StringComparison.Ordinal) ? durableId[..^suffix.Length] : durableId;
    }

    private static string OwnerSuffix(string owner) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(owner)))[..12];
}
