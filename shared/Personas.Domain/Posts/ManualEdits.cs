namespace Personas.Domain.Posts;

/// <summary>
/// The owner's hand edits survive regenerations: a field they changed (hook, caption, call to action, hashtags) is
/// carried into every later copy until a regeneration is asked to replace edits. A regeneration that kept edits says
/// so in its notes (<see cref="KeptNote"/>), which is how a later one knows they still stand.
/// </summary>
public static class ManualEdits
{
    public const string KeptNote = "Kept your edits to ";

    private static readonly (string Name, Func<PostCopy, string> Text)[] Fields =
    [
        ("hook", c => c.Hook), ("caption", c => c.Body), ("cta", c => c.Cta),
        ("hashtags", c => string.Join(' ', c.Hashtags)),
    ];

    /// <summary>The new copy with the edited fields kept, and the names of the fields kept (the API's names).</summary>
    public static (PostCopy Copy, IReadOnlyList<string> Kept) Keep(PostCopy written,
        IReadOnlyList<PostRevision> earlier)
    {
        var standing = new Dictionary<string, PostCopy>(); // field → the edited copy that holds its value
        PostCopy? before = null;
        foreach (var revision in earlier)
        {
            if (revision.EditedBy is not null && before is not null)
                foreach (var (name, text) in Fields.Where(f => f.Text(revision.Copy) != f.Text(before)))
                    standing[name] = revision.Copy;
            else if (revision.EditedBy is null
                && !revision.Notes.Any(n => n.StartsWith(KeptNote, StringComparison.Ordinal)))
                standing.Clear(); // written anew: the first revision, or one that replaced the edits
            before = revision.Copy;
        }
        var kept = Fields.Select(f => f.Name).Where(standing.ContainsKey).ToList();
        var copy = written with
        {
            Hook = standing.TryGetValue("hook", out var hook) ? hook.Hook : written.Hook,
            Body = standing.TryGetValue("caption", out var caption) ? caption.Body : written.Body,
            Cta = standing.TryGetValue("cta", out var cta) ? cta.Cta : written.Cta,
            Hashtags = standing.TryGetValue("hashtags", out var tags) ? tags.Hashtags : written.Hashtags,
        };
        // As an edit does: a thread's first post is its hook.
        if (kept.Contains("hook") && copy.Kind == PostKind.Thread && copy.ThreadPosts.Count > 0)
            copy = copy with { ThreadPosts = [copy.Hook, .. copy.ThreadPosts.Skip(1)] };
        return (copy, kept);
    }

    /// <summary>The revision note for the kept fields.</summary>
    public static string Note(IEnumerable<string> kept) =>
        $"{KeptNote}{string.Join(", ", kept)}; send replaceEdits: true to replace them.";
}
