using Personas.Domain.Analytics;
using Personas.Domain.Batches;
using Personas.Domain.Chat;
using Personas.Domain.Generations;
using Personas.Domain.Personas;
using Personas.Domain.Photos;
using Personas.Domain.Posts;
using Personas.Domain.Training;
using Personas.Durable;
using Personas.Imaging.Analysis;
using Personas.Imaging.Preparation;

namespace Personas.Azure.Tests.Catalog;

/// <summary>Valid domain records with only the fields a test cares about as parameters.</summary>
internal static class CatalogSamples
{
    public static readonly DateTimeOffset Epoch = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    public static string NewOwner() => "owner-" + Guid.NewGuid().ToString("N");

    public static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..12];

    public static Persona Persona(string owner, string? id = null, string? triggerWord = null, int minute = 0) => new()
    {
        Id = id ?? NewId("persona"),
        Owner = owner,
        Name = "Ada Example",
        TriggerWord = triggerWord ?? "zx" + Guid.NewGuid().ToString("N")[..6],
        Mode = PersonaMode.Portrait,
        Consent = new Consent(true, true, true, true, new ConsentRestrictions(), Epoch, "203.0.113.7", "tests"),
        Status = PersonaStatus.Draft,
        CreatedAt = Epoch.AddMinutes(minute),
        UpdatedAt = Epoch.AddMinutes(minute),
    };

    public static Photo Photo(string owner, string personaId, string? id = null, int second = 0,
        ulong differenceHash = 0x0123_4567_89AB_CDEF)
    {
        id ??= NewId("photo");
        return new()
        {
            Id = id,
            PersonaId = personaId,
            Owner = owner,
            FileName = "portrait.jpg",
            Sha256 = "ab12",
            DifferenceHash = differenceHash,
            Format = PhotoFormat.Jpeg,
            Width = 1024,
            Height = 1024,
            Scores = new PhotoScores(Score(90), Score(80), Score(70), Score(60), Score(75)),
            Blob = $"photos/{personaId}/{id}.jpg",
            CreatedAt = Epoch.AddSeconds(second),
        };
    }

    public static Post Post(string owner, string? personaId, int minute,
        PostStatus status = PostStatus.AwaitingApproval, string batchId = "batch-1", string? id = null) =>
        new(id ?? NewId("post"), owner, batchId, personaId, PostKind.Single, SocialPlatform.Instagram,
            new ContentBrief("Launch notes", "A transcript."), 0.5, status, [], Epoch.AddMinutes(minute));

    public static Generation Generation(string owner, string personaId, string? id = null, int minute = 0,
        long seed = 42, string prompt = "a portrait") =>
        new(id ?? NewId("generation"), owner, personaId, 1, "models/w.safetensors", "dryrun", prompt, 0.8,
            "instagram", 1080, 1350, Usages.Personal, [new GeneratedPicture("generations/1.png", seed, null)],
            Epoch.AddMinutes(minute));

    public static CostEntry Cost(string owner, string personaId, decimal usd, int minute = 0) =>
        new(owner, personaId, Epoch.AddMinutes(minute), "fal", "train", usd, "steps=1000");

    public static Batch Batch(string owner, string personaId, int minute = 0, int items = 3) =>
        new(NewId("batch"), owner, personaId, 1, "instagram", 1080, 1350, 0.8, Usages.Personal, 2, 5m, null,
            [.. Enumerable.Range(0, items).Select(i => new BatchItem(i, $"a portrait, take {i}", 1000 + i))],
            Epoch.AddMinutes(minute));

    public static ChatTurn Turn(string content, int second, string role = ChatTurn.User) =>
        new(role, content, Epoch.AddSeconds(second));

    public static EngagementSample Sample(string owner, string postId, string? personaId, double afterHours,
        long likes = 1, SocialPlatform platform = SocialPlatform.Instagram) =>
        new(owner, postId, personaId, platform, "instagram", Epoch, afterHours, Epoch.AddHours(afterHours),
            new EngagementCounts(100, 80, likes, 0, 0, 0, null));

    /// <summary>
    /// The JSON the rest of the system would see: records holding lists compare by reference otherwise.
    /// </summary>
    public static string Json(object? value) => PersonasDataConverter.Default.Serialize(value) ?? "null";

    private static Score Score(int value) => new(value, "measured");
}
