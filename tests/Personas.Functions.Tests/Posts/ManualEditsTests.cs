using Personas.Domain.Posts;

namespace Personas.Functions.Tests.Posts;

public sealed class ManualEditsTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;

    private static PostCopy Copy(string hook, string body) =>
        new(PostKind.Single, SocialPlatform.LinkedIn, hook, body, "Tell me.", ["Tag"], "alt", "template");

    private static PostRevision Written(int n, PostCopy copy, params string[] notes) =>
        new(n, copy, null, [], [], 0, At) { Notes = notes };

    private static PostRevision Edited(int n, PostCopy copy) =>
        new(n, copy, null, [], [], 0, At) { EditedBy = "alice" };

    [Fact]
    public void An_edit_survives_every_regeneration_until_one_replaces_it()
    {
        var first = Written(1, Copy("Hook one", "Body one"));
        var edit = Edited(2, Copy("Hook one", "My own caption"));
        var (second, kept) = ManualEdits.Keep(Copy("Hook two", "Body two"), [first, edit]);
        Assert.Equal(("Hook two", "My own caption"), (second.Hook, second.Body));
        Assert.Equal(["caption"], kept);

        // The next regeneration still keeps it: the revision in between said it kept the edit.
        var regenerated = Written(3, second, ManualEdits.Note(kept));
        var (third, _) = ManualEdits.Keep(Copy("Hook three", "Body three"), [first, edit, regenerated]);
        Assert.Equal("My own caption", third.Body);

        // One written anew (replaceEdits) ends it.
        var replaced = Written(4, Copy("Hook four", "Body four"));
        var (fifth, none) = ManualEdits.Keep(Copy("Hook five", "Body five"), [first, edit, regenerated, replaced]);
        Assert.Equal("Body five", fifth.Body);
        Assert.Empty(none);
    }
}
