using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Personas.Api.Auth;
using Personas.Api.Problems;
using Personas.Domain.Stores;
using Personas.Domain.Workflows;

namespace Personas.Api.Instances;

/// <summary>
/// The <c>Idempotency-Key</c> of a POST that starts work or spends money. The key is scoped to the owner and the
/// route template, and stands for one request: the route, its scope (the persona or post in the path) and its body.
/// The same key with the same request replays the first answer (same status and body, with
/// <c>Idempotent-Replayed: true</c>); with another request it is refused with 422 naming the header, and no replay
/// header. Without a key nothing changes. The key→instance record is the instance ledger's claim on an id derived
/// from the key, so nothing else is stored. Use:
/// <code>
/// var (idem, problem) = IdempotentStart.Read(http, "/api/x/{id}", id, body); if (problem is not null) return problem;
/// if (await idem!.EarlierAsync(client, ledger, instanceId, Answer) is { } earlier) return earlier;
/// ... checks ...; return await idem.StartAsync(client, ledger, clock, name, input, instanceId, Answer);
/// </code>
/// where <c>instanceId</c> is built from <see cref="NewId"/>, so a keyed request always names the same instance.
/// </summary>
internal sealed class IdempotentStart
{
    public const string Header = "Idempotency-Key", ReplayedHeader = "Idempotent-Replayed";

    private readonly HttpContext _http;
    private readonly string _owner;
    private readonly string? _digest;

    private IdempotentStart(HttpContext http, string owner, string? digest, string requestHash)
    {
        (_http, _owner, _digest, RequestHash) = (http, owner, digest, requestHash);
    }

    /// <summary>Whether the request carried a key.</summary>
    public bool Keyed => _digest is not null;

    /// <summary>The hash of route template, scope and body that a repeated key must match.</summary>
    public string RequestHash { get; }

    /// <summary>Reads and checks the header; the problem is a 400 naming it.</summary>
    public static (IdempotentStart? Start, IResult? Problem) Read(HttpContext http, string routeTemplate,
        string? scopeId, JsonNode? body)
    {
        if (KeyProblem(http, out var key) is { } problem) return (null, problem);
        var owner = http.User.Owner();
        var digest = key is null ? null : Hash($"{owner}\n{routeTemplate}\n{key}");
        return (new IdempotentStart(http, owner, digest,
            Hash($"{routeTemplate}\n{scopeId}\n{body?.ToJsonString() ?? "null"}")), null);
    }

    /// <summary>The header's key (null when absent), or a 400 when it breaks the rule.</summary>
    public static IResult? KeyProblem(HttpContext http, out string? key)
    {
        var value = http.Request.Headers[Header].ToString();
        key = value.Length > 0 ? value : null;
        return key is not null && !InstanceRequests.IdempotencyKey().IsMatch(key)
            ? ProblemWriter.Invalid(http, Header, InstanceRequests.IdempotencyKeyRule)
            : null;
    }

    /// <summary>The stable digest of owner, route template and key (32 hex digits); null without a key.</summary>
    public string? Id() => _digest?[..32];

    /// <summary>
    /// An id for something the request makes: derived from the key (and <paramref name="part"/>) when there is one,
    /// so a repeated request names the same thing; fresh otherwise.
    /// </summary>
    public string NewId(int length, string part = "") =>
        (_digest is null ? Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N") : Hash($"{_digest}\n{part}"))
        [..length];

    /// <summary>
    /// The earlier answer to this key: the replay when <paramref name="instanceId"/> was started by the same request,
    /// 422 when by another, null when the key is new (or absent) and the caller should go on.
    /// </summary>
    public Task<IResult?> EarlierAsync(DurableTaskClient client, IInstanceLedger ledger, string instanceId,
        Func<OrchestrationMetadata, IResult> answer) =>
        EarlierAsync(ledger, instanceId, async _ =>
            await client.GetStatusAsync(instanceId, _http.RequestAborted) is { } instance ? answer(instance) : null);

    /// <summary>
    /// As above for a key recorded under <paramref name="recordId"/> (see <see cref="RecordAsync"/>); the answer is
    /// rebuilt from the record, and null from it means the first request did not finish: go on.
    /// </summary>
    public async Task<IResult?> EarlierAsync(IInstanceLedger ledger, string recordId,
        Func<InstanceClaim, Task<IResult?>> answer)
    {
        if (_digest is null || await ledger.FindClaimAsync(recordId, _http.RequestAborted) is not { } claim)
            return null;
        if (claim.Owner != _owner || claim.RequestHash != RequestHash) return KeyReused();
        if (await answer(claim) is not { } earlier) return null;
        return Replayed(earlier);
    }

    /// <summary>
    /// Starts the instance once under the owner's claim (keyed: with this request's hash) and answers for it. A
    /// concurrent request with the same key that started it first makes this a replay.
    /// </summary>
    public async Task<IResult> StartAsync(DurableTaskClient client, IInstanceLedger ledger, TimeProvider clock,
        string name, object? input, string instanceId, Func<OrchestrationMetadata, IResult> answer)
    {
        var (instance, earlier) = await ScheduleAsync(client, ledger, clock, name, input, instanceId, answer);
        return earlier ?? answer(instance!);
    }

    /// <summary>
    /// Schedules the instance once, for endpoints with more to do after scheduling (a claim): the instance when this
    /// call created it, otherwise the answer to give instead (the replay of a concurrent request with the same key,
    /// or 422 for a key reused with another request).
    /// </summary>
    public async Task<(OrchestrationMetadata? Created, IResult? Earlier)> ScheduleAsync(DurableTaskClient client,
        IInstanceLedger ledger, TimeProvider clock, string name, object? input, string instanceId,
        Func<OrchestrationMetadata, IResult> answer)
    {
        var started = await client.StartOwnedAsync(ledger, clock, _owner, name, input, instanceId,
            Keyed ? RequestHash : null, _http.RequestAborted);
        if (started.Instance is null)
            return started.Claim.Owner == _owner && Keyed ? (null, KeyReused())
                : throw new InvalidOperationException($"Instance id '{instanceId}' is already claimed.");
        return started.Created ? (started.Instance, null) : (null, Replayed(answer(started.Instance)));
    }

    /// <summary>
    /// An instance id under <paramref name="prefix"/>: derived from the key when there is one (so a repeated request
    /// names the same instance), fresh otherwise.
    /// </summary>
    public string InstanceId(string prefix) => Keyed ? $"{prefix}-k{NewId(16)}" : $"{prefix}-{NewId(8)}";

    /// <summary>Records the key for work that starts no instance (an event); returns the claim that stands.</summary>
    public Task<InstanceClaim> RecordAsync(IInstanceLedger ledger, string recordId, TimeProvider clock) =>
        ledger.ClaimAsync(recordId, _owner, RequestHash, clock.GetUtcNow(), _http.RequestAborted);

    /// <summary>Whether a claim returned by <see cref="RecordAsync"/> is this request's.</summary>
    public bool Matches(InstanceClaim claim) => claim.Owner == _owner && claim.RequestHash == RequestHash;

    public IResult KeyReused() => ProblemWriter.Result(_http, 422, "Idempotency key reused",
        $"This {Header} was already used for a different request.", Header);

    public IResult Replayed(IResult earlier)
    {
        _http.Response.Headers[ReplayedHeader] = "true";
        return earlier;
    }

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
