namespace Personas.Domain.Posts;

/// <summary>
/// The owner's hand edits survive a regeneration: the fields they changed since the last written revision (hook,
/// caption, call to action, hashtags) are carried into the new copy, unless the request asks to replace them.
/// </summary>
public static class ManualEdits
{
    /// <summary>The new copy with the edited fields kept, and the names of the fields kept (the API's names).</summary>
    public static (PostCopy Copy, IReadOnlyList<string> Kept) Keep(PostCopy written,
        IReadOnlyList<PostRevision> earlier)
    {
        if (earlier.Count == 0 || earlier[^1].EditedBy is null) return (written, []);
        var edited = earlier[^1].Copy;
        // What the edits started from: the newest revision a writer made, not an earlier edit.
        var basis = earlier.LastOrDefault(r => r.EditedBy is null)?.Copy;
        var kept = new List<string>();
        var copy = written with
        {
            Hook = Pick("hook", c => c.Hook, c => c.Hook),
            Body = Pick("caption", c => c.Body, c => c.Body),
            Cta = Pick("cta", c => c.Cta, c => c.Cta),
            Hashtags = Pick("hashtags", c => c.Hashtags, c => string.Join(' ', c.Hashtags)),
        };
        // As an edit does: a thread's first post is its hook.
        if (kept.Contains("hook") && copy.Kind == PostKind.Thread && copy.ThreadPosts.Count > 0)
            copy = copy with { ThreadPosts = [copy.Hook, .. copy.ThreadPosts.Skip(1)] };
        return (copy, kept);

        T Pick<T>(string name, Func<PostCopy, T> field, Func<PostCopy, string> text)
        {
            if (basis is not null && text(edited) == text(basis)) return field(written);
            kept.Add(name);
            return field(edited);
        }
    }
}
