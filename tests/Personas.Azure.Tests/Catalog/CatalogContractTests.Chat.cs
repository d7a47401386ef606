using Personas.Domain.Chat;
using Personas.Domain.Stores;
using static Personas.Azure.Tests.Catalog.CatalogSamples;

namespace Personas.Azure.Tests.Catalog;

public abstract partial class CatalogContractTests
{
    private IChatCatalog Chats => (IChatCatalog)Catalog;

    [Fact]
    public async Task Turns_append_to_a_conversation_created_on_first_use()
    {
        var (owner, persona) = await NewPersonaAsync();
        var conversation = NewId("conv");

        await Chats.AppendTurnsAsync(owner, persona, conversation, "Hello",
            [Turn("hi", 1), Turn("hello", 2, ChatTurn.Assistant)]);
        var second = await Chats.AppendTurnsAsync(owner, persona, conversation, "ignored", [Turn("again", 3)]);

        Assert.Equal("Hello", second.Title);
        Assert.Equal(["hi", "hello", "again"], second.Turns.Select(t => t.Content));
        Assert.Equal(Epoch.AddSeconds(3), second.UpdatedAt);
        Assert.Equal(Json(second), Json(await Chats.GetConversationAsync(owner, persona, conversation)));
        Assert.Null(await Chats.GetConversationAsync(NewOwner(), persona, conversation));
        Assert.Null(await Chats.GetConversationAsync(owner, NewId("persona"), conversation));
    }

    [Fact]
    public async Task Concurrent_turns_all_land()
    {
        var (owner, persona) = await NewPersonaAsync();
        var conversation = NewId("conv");

        await Task.WhenAll(Enumerable.Range(0, Racers).Select(i => Task.Run(() =>
            Chats.AppendTurnsAsync(owner, persona, conversation, "Race", [Turn($"turn {i}", i)]))));

        var stored = await Chats.GetConversationAsync(owner, persona, conversation);
        Assert.Equal(Racers, stored!.Turns.Count);
    }

    [Fact]
    public async Task Conversations_list_newest_first_delete_one_by_one_and_go_with_the_persona()
    {
        var (owner, persona) = await NewPersonaAsync();
        var (older, newer, doomed) = (NewId("conv"), NewId("conv"), NewId("conv"));
        await Chats.AppendTurnsAsync(owner, persona, older, "Older", [Turn("a", 1)]);
        await Chats.AppendTurnsAsync(owner, persona, newer, "Newer", [Turn("b", 9)]);
        await Chats.AppendTurnsAsync(owner, persona, doomed, "Doomed", [Turn("c", 5)]);

        Assert.False(await Chats.DeleteConversationAsync(NewOwner(), persona, doomed));
        Assert.True(await Chats.DeleteConversationAsync(owner, persona, doomed));
        Assert.False(await Chats.DeleteConversationAsync(owner, persona, doomed));
        Assert.Equal([newer, older], (await Chats.ListConversationsAsync(owner, persona)).Select(c => c.Id));

        await Catalog.DeletePersonaAsync(owner, persona, new AuditEntry(owner, persona, "persona.deleted", Epoch, ""));

        Assert.Empty(await Chats.ListConversationsAsync(owner, persona));
        Assert.Null(await Chats.GetConversationAsync(owner, persona, older));
    }
}
