using Personas.Domain.Chat;

namespace Personas.Domain.Stores;

public sealed partial class SqliteCatalog : IChatCatalog
{
    private const string ChatSchema = """

        CREATE TABLE IF NOT EXISTS chat_conversations(id TEXT PRIMARY KEY, owner TEXT NOT NULL,
            persona_id TEXT NOT NULL, updated_at INTEGER NOT NULL, doc TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_chat_persona ON chat_conversations(owner, persona_id, updated_at);
        """;

    public Task<Conversation> AppendTurnsAsync(string owner, string personaId, string conversationId, string title,
        IReadOnlyList<ChatTurn> turns, CancellationToken ct = default) => Write(c =>
    {
        var at = turns.Count > 0 ? turns[^1].At : DateTimeOffset.UtcNow;
        var current = ReadConversation(c, owner, personaId, conversationId)
            ?? new Conversation(conversationId, owner, personaId, title, at, at, []);
        var updated = current with { UpdatedAt = at, Turns = [.. current.Turns, .. turns] };
        c.Execute("""
            INSERT OR REPLACE INTO chat_conversations(id, owner, persona_id, updated_at, doc)
            VALUES ($id, $owner, $persona, $updated, $doc)
            """, ("$id", conversationId), ("$owner", owner), ("$persona", personaId),
            ("$updated", at.UtcTicks), ("$doc", json.Serialize(updated)));
        return updated;
    });

    public Task<Conversation?> GetConversationAsync(string owner, string personaId, string conversationId,
        CancellationToken ct = default) => Read(c => ReadConversation(c, owner, personaId, conversationId));

    public Task<IReadOnlyList<Conversation>> ListConversationsAsync(string owner, string personaId,
        CancellationToken ct = default) => Read<IReadOnlyList<Conversation>>(c => c.Query("""
            SELECT doc FROM chat_conversations WHERE owner = $owner AND persona_id = $persona
            ORDER BY updated_at DESC, id
            """, r => json.Deserialize<Conversation>(r.GetString(0))!, ("$owner", owner), ("$persona", personaId)));

    public Task<bool> DeleteConversationAsync(string owner, string personaId, string conversationId,
        CancellationToken ct = default) => Write(c => c.Execute(
            "DELETE FROM chat_conversations WHERE owner = $owner AND persona_id = $persona AND id = $id",
            ("$owner", owner), ("$persona", personaId), ("$id", conversationId)) == 1);

    private Conversation? ReadConversation(Microsoft.Data.Sqlite.SqliteConnection c, string owner, string personaId,
        string conversationId) => c.Query(
            "SELECT doc FROM chat_conversations WHERE owner = $owner AND persona_id = $persona AND id = $id",
            r => json.Deserialize<Conversation>(r.GetString(0)), ("$owner", owner), ("$persona", personaId),
            ("$id", conversationId)).FirstOrDefault();
}
