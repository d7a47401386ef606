using System.Buffers.Text;
using System.Text;
using Microsoft.DurableTask.Client;
using Personas.Domain.Stores;

namespace Personas.Api.Instances;

/// <summary>A page of the caller's instances, and the token for the next page (null on the last).</summary>
internal sealed record OwnedPage(IReadOnlyList<OrchestrationMetadata> Instances, string? ContinuationToken);

/// <summary>
/// Pages through the backend's instances with the SDK's query and keeps the caller's own (the ledger knows whose),
/// so a page may hold fewer than asked, but never another owner's. The backend's continuation token is wrapped, so a
/// token this API did not issue is refused instead of reaching the backend.
/// </summary>
internal static class InstanceQueryPages
{
    private const string TokenPrefix = "p1.";

    public static IEnumerable<string> StatusNames { get; } = Enum.GetNames<OrchestrationRuntimeStatus>();

    public static async Task<OwnedPage> ReadOwnedPageAsync(DurableTaskClient client, IInstanceLedger ledger,
        string owner, OrchestrationQuery query, string? backendToken, CancellationToken ct)
    {
        await foreach (var page in client.GetAllInstancesAsync(query).AsPages(backendToken, query.PageSize)
            .WithCancellation(ct))
        {
            var owned = await ledger.OwnedAsync(owner, page.Values.Select(i => i.InstanceId).ToList(), ct);
            return new OwnedPage(page.Values.Where(i => owned.Contains(i.InstanceId)).ToList(),
                string.IsNullOrEmpty(page.ContinuationToken) ? null : WriteToken(page.ContinuationToken));
        }
        return new OwnedPage([], null);
    }

    public static bool TryReadToken(string? token, out string? backendToken)
    {
        backendToken = null;
        if (token is null) return true;
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal)) return false;
        var encoded = token[TokenPrefix.Length..];
        if (!Base64Url.IsValid(encoded)) return false;
        backendToken = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(encoded));
        return backendToken.Length > 0;
    }

    private static string WriteToken(string backendToken) =>
        TokenPrefix + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(backendToken));
}
