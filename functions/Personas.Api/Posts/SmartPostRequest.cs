using System.Text.Json;
using System.Text.Json.Nodes;
using Personas.Domain.Personas;
using Personas.Domain.Posts;
using Personas.Api.Problems;

namespace Personas.Api.Posts;

/// <summary>
/// The checked body of <c>POST /api/posts/generate-smart</c>: the content, and which posts to make from it.
/// </summary>
public sealed record SmartPostRequest(ContentBrief Brief, IReadOnlyList<PostKind> Kinds,
    IReadOnlyList<SocialPlatform> Platforms, double Creativity, string? PersonaId, string Usage, long Seed,
    bool FaceSwap = false)
{
    public const int MaxTranscript = 100_000, MaxPosts = 12;
    public static readonly string[] Tones = ["professional", "casual", "inspirational", "bold"];
    private static readonly string[] Fields = ["projectTitle", "transcript", "contentAnalysis", "settings"];
    private static readonly string[] SettingFields =
        ["contentTypes", "platforms", "creativity", "tone", "usePersona", "personaId", "usage", "seed", "faceSwap"];

    /// <summary>The request, or every problem with the body at once (null when there is none).</summary>
    public static (SmartPostRequest? Request, IReadOnlyList<FieldProblem>? Problems) Parse(JsonObject? body)
    {
        if (body is null)
            return (null, [new("body", "Send a JSON object with projectTitle, transcript and/or contentAnalysis, "
                + "and settings.")]);
        var problems = new List<FieldProblem>();
        foreach (var unknown in body.Select(p => p.Key).Where(k => !Fields.Contains(k)))
            problems.Add(new(unknown, $"is not a field; use {string.Join(", ", Fields)}."));
        var (title, titleProblem) = FieldProblem.OfText(body, "projectTitle", 200);
        problems.AddIfAny(titleProblem);
        var (transcript, transcriptProblem) = Transcript(body["transcript"]);
        problems.AddIfAny(transcriptProblem);
        var (analysis, analysisProblems) = Analysis(body["contentAnalysis"]);
        problems.AddRange(analysisProblems);
        if (transcriptProblem is null && analysisProblems.Count == 0 && string.IsNullOrWhiteSpace(transcript)
            && analysis is null)
            problems.Add(new("transcript", "Send a transcript, a contentAnalysis, or both."));
        var settings = Settings(body["settings"], problems);
        if (problems.Count > 0) return (null, problems);

        return (new SmartPostRequest(new ContentBrief(title!, transcript, analysis, settings!.Tone), settings.Kinds,
            settings.Platforms, settings.Creativity, settings.PersonaId, settings.Usage, settings.Seed,
            settings.FaceSwap), null);
    }

    private sealed record CheckedSettings(List<PostKind> Kinds, List<SocialPlatform> Platforms, double Creativity,
        string Tone, string? PersonaId, string Usage, long Seed, bool FaceSwap);

    private static (string?, FieldProblem?) Transcript(JsonNode? node)
    {
        if (node is null) return (null, null);
        if (node.GetValueKind() != JsonValueKind.String) return (null, new("transcript", "must be a string."));
        var transcript = node.GetValue<string>();
        return transcript.Length > MaxTranscript
            ? (null, new("transcript", $"must be at most {MaxTranscript} characters."))
            : (transcript, null);
    }

    /// <summary>
    /// The settings when all are fine; otherwise null, each problem added to <paramref name="problems"/>.
    /// </summary>
    private static CheckedSettings? Settings(JsonNode? node, List<FieldProblem> problems)
    {
        if (node is not JsonObject settings)
        {
            problems.Add(new("settings", "is required: { contentTypes, platforms, … }."));
            return null;
        }
        var before = problems.Count;
        foreach (var unknown in settings.Select(p => p.Key).Where(k => !SettingFields.Contains(k)))
            problems.Add(new($"settings.{unknown}", $"is not a setting; use {string.Join(", ", SettingFields)}."));
        var (kinds, kindProblem) = Choices<PostKind>(settings, "contentTypes");
        problems.AddIfAny(kindProblem);
        var (platforms, platformProblem) = Choices<SocialPlatform>(settings, "platforms");
        problems.AddIfAny(platformProblem);
        if (kinds is not null && platforms is not null && kinds.Count * platforms.Count > MaxPosts)
            problems.Add(new("settings.contentTypes", $"contentTypes × platforms must be at most {MaxPosts} posts."));
        problems.AddIfAny(Setting(FieldProblem.OfNumber(settings, "creativity", 0, 1, integer: false)));
        problems.AddIfAny(Setting(FieldProblem.OfNumber(settings, "seed", 0, 9_007_199_254_740_991.0, integer: true)));
        var (tone, toneProblem) = FieldProblem.OfChoice(settings, "tone", Tones, "professional", "settings.tone",
            ignoreCase: true);
        problems.AddIfAny(toneProblem);
        var usePersona = settings["usePersona"]?.GetValueKind();
        if (usePersona is not (null or JsonValueKind.True or JsonValueKind.False))
            problems.Add(new("settings.usePersona", "must be true or false."));
        string? personaId = null;
        if (usePersona == JsonValueKind.True)
        {
            (personaId, var idProblem) = FieldProblem.OfText(settings, "personaId", 100);
            problems.AddIfAny(Setting(idProblem));
        }
        var faceSwap = settings["faceSwap"]?.GetValueKind();
        if (faceSwap is not (null or JsonValueKind.True or JsonValueKind.False))
            problems.Add(new("settings.faceSwap", "must be true or false."));
        else if (faceSwap == JsonValueKind.True && usePersona != JsonValueKind.True)
            problems.Add(new("settings.faceSwap", "needs usePersona: the face swapped in is the persona's."));
        var (usage, usageProblem) =
            FieldProblem.OfChoice(settings, "usage", Usages.All, Usages.Personal, "settings.usage");
        problems.AddIfAny(usageProblem);
        if (problems.Count > before) return null;

        var seed = settings["seed"] is { } s ? (long)s.GetValue<double>() : Random.Shared.NextInt64(0, int.MaxValue);
        var creativity = settings["creativity"]?.GetValue<double>() ?? 0.5;
        return new CheckedSettings(kinds!, platforms!, creativity, tone!, personaId, usage!, seed,
            faceSwap == JsonValueKind.True);
    }

    private static FieldProblem? Setting(FieldProblem? problem) =>
        problem is null ? null : problem with { Field = $"settings.{problem.Field}" };

    private static (ContentAnalysis?, List<FieldProblem>) Analysis(JsonNode? node)
    {
        if (node is null) return (null, []);
        if (node is not JsonObject o)
            return (null, [new("contentAnalysis", "must be an object: { keyTopics, moments, sentiment }.")]);
        var problems = new List<FieldProblem>();
        foreach (var unknown in o.Select(p => p.Key).Where(k => k is not ("keyTopics" or "moments" or "sentiment")))
            problems.Add(new($"contentAnalysis.{unknown}", "is not a field; use keyTopics, moments, sentiment."));
        var (topics, topicProblem) = FieldProblem.OfStrings(o, "keyTopics", 20, 100);
        problems.AddIfAny(topicProblem is null ? null : topicProblem with { Field = "contentAnalysis.keyTopics" });
        var (moments, momentProblem) = FieldProblem.OfStrings(o, "moments", 20, 500);
        problems.AddIfAny(momentProblem is null ? null : momentProblem with { Field = "contentAnalysis.moments" });
        string? sentiment = null;
        if (o["sentiment"] is { } sn)
        {
            if (sn.GetValueKind() != JsonValueKind.String || sn.GetValue<string>().Length > 50)
                problems.Add(new("contentAnalysis.sentiment", "must be a string of at most 50 characters."));
            else sentiment = sn.GetValue<string>();
        }
        return problems.Count > 0 ? (null, problems) : (new ContentAnalysis(topics, moments, sentiment), problems);
    }

    private static (List<T>?, FieldProblem?) Choices<T>(JsonObject settings, string field) where T : struct, Enum
    {
        var names = Enum.GetNames<T>().Select(n => n.ToLowerInvariant()).ToList();
        var (values, problem) = FieldProblem.OfStrings(settings, field, names.Count, 40);
        if (problem is not null) return (null, problem with { Field = $"settings.{field}" });
        if (values is not { Count: > 0 })
            return (null, new($"settings.{field}", $"is required: a list of {string.Join(", ", names)}."));
        if (values.FirstOrDefault(v => !names.Contains(v.ToLowerInvariant())) is { } bad)
            return (null, new($"settings.{field}", $"'{bad}' is not one of {string.Join(", ", names)}."));
        return (values.Select(v => Enum.Parse<T>(v, ignoreCase: true)).Distinct().ToList(), null);
    }
}
