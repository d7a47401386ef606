using Personas.Domain.Chat;
using static Personas.Azure.Cosmos.DocumentKeys;

namespace Personas.Azure.Cosmos;

public sealed partial class CosmosCatalog : IChatCatalog
{
    public async Task<Conversation> AppendTurnsAsync(string owner, string personaId, string conversationId,
        string title, IReadOnlyList<ChatTurn> turns, CancellationToken ct = default)
    {
        var pk = OwnerPartition(owner);
        var id = Id(DocumentTypes.Conversation, conversationId);
        var at = turns.Count > 0 ? turns[^1].At : _time.GetUtcNow();
        // Created empty first (a no-op when it exists), then appended with its ETag, so concurrent turns all land.
        await TryCreateAsync(Document(new Conversation(conversationId, owner, personaId, title, at, at, [])), pk, ct);
        var updated = await ModifyAsync<ItemDocument<Conversation>>(id, pk, d => d.Body!.PersonaId != personaId ? null
            : Document(d.Body with { UpdatedAt = at, Turns = [.. d.Body.Turns, .. turns] }), ct);
        return updated?.Body ?? throw new CosmosCatalogException(
            $"Conversation '{conversationId}' belongs to another persona.");
    }

    public async Task<Conversation?> GetConversationAsync(string owner, string personaId, string conversationId,
        CancellationToken ct = default) =>
        (await ReadAsync<ItemDocument<Conversation>>(Id(DocumentTypes.Conversation, conversationId),
            OwnerPartition(owner), ct)).Document?.Body is { } c && c.PersonaId == personaId ? c : null;

    public async Task<IReadOnlyList<Conversation>> ListConversationsAsync(string owner, string personaId,
        CancellationToken ct = default) =>
        (await QueryPartitionAsync<ItemDocument<Conversation>>(OwnerPartition(owner), DocumentTypes.Conversation, ct,
            filters: ("personaId", personaId)))
            .OrderByDescending(d => d.SortKey, StringComparer.Ordinal).ThenBy(d => d.Id, StringComparer.Ordinal)
            .Select(d => d.Body!).ToList();

    public async Task<bool> DeleteConversationAsync(string owner, string personaId, string conversationId,
        CancellationToken ct = default) =>
        await GetConversationAsync(owner, personaId, conversationId, ct) is not null
        && await TryDeleteAsync(Id(DocumentTypes.Conversation, conversationId), OwnerPartition(owner), ct);

    private static ItemDocument<Conversation> Document(Conversation c) => new()
    {
        Id = Id(DocumentTypes.Conversation, c.Id), Pk = OwnerPartition(c.Owner), Type = DocumentTypes.Conversation,
        PersonaId = c.PersonaId, SortKey = SortKey(c.UpdatedAt), Body = c,
    };
}
