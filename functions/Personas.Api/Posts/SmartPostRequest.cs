using System.Text.Json;
using System.Text.Json.Nodes;
using Personas.Domain.Personas;
using Personas.Domain.Posts;
using Personas.Api.Problems;

namespace Personas.Api.Posts;

/// <summary>The checked body of <c>POST /api/posts/generate-smart</c>: the content, and which posts to make from it.</summary>
public sealed record SmartPostRequest(ContentBrief Brief, IReadOnlyList<PostKind> Kinds, IReadOnlyList<SocialPlatform> Platforms, double Creativity,
    string? PersonaId, string Usage, long Seed)
{
    public const int MaxTranscript = 100_000, MaxPosts = 12;
    public static readonly string[] Tones = ["professional", "casual", "inspirational", "bold"];
    private static readonly string[] Fields = ["projectTitle", "transcript", "contentAnalysis", "settings"];
    private static readonly string[] SettingFields = ["contentTypes", "platforms", "creativity", "tone", "usePersona", "personaId", "usage", "seed"];

    public static (SmartPostRequest? Request, FieldProblem? Problem) Parse(JsonObject? body)
    {
        if (body is null) return (null, new("body", "Send a JSON object with projectTitle, transcript and/or contentAnalysis, and settings."));
        if (body.Select(p => p.Key).FirstOrDefault(k => !Fields.Contains(k)) is { } unknown) return (null, new(unknown, $"is not a field; use {string.Join(", ", Fields)}."));
        if (FieldProblem.OfText(body, "projectTitle", 200) is var (title, titleProblem) && titleProblem is not null) return (null, titleProblem);
        string? transcript = null;
        if (body["transcript"] is { } t)
        {
            if (t.GetValueKind() != JsonValueKind.String) return (null, new("transcript", "must be a string."));
            transcript = t.GetValue<string>();
            if (transcript.Length > MaxTranscript) return (null, new("transcript", $"must be at most {MaxTranscript} characters."));
        }
        var (analysis, analysisProblem) = Analysis(body["contentAnalysis"]);
        if (analysisProblem is not null) return (null, analysisProblem);
        if (string.IsNullOrWhiteSpace(transcript) && analysis is null) return (null, new("transcript", "Send a transcript, a contentAnalysis, or both."));

        if (body["settings"] is not JsonObject settings) return (null, new("settings", "is required: { contentTypes, platforms, … }."));
        if (settings.Select(p => p.Key).FirstOrDefault(k => !SettingFields.Contains(k)) is { } badSetting)
            return (null, new($"settings.{badSetting}", $"is not a setting; use {string.Join(", ", SettingFields)}."));
        var (kinds, kindProblem) = Choices<PostKind>(settings, "contentTypes");
        if (kindProblem is not null) return (null, kindProblem);
        var (platforms, platformProblem) = Choices<SocialPlatform>(settings, "platforms");
        if (platformProblem is not null) return (null, platformProblem);
        if (kinds!.Count * platforms!.Count > MaxPosts) return (null, new("settings.contentTypes", $"contentTypes × platforms must be at most {MaxPosts} posts."));
        if (FieldProblem.OfNumber(settings, "creativity", 0, 1, integer: false) is { } creativityProblem) return (null, creativityProblem with { Field = "settings.creativity" });
        if (FieldProblem.OfNumber(settings, "seed", 0, 9_007_199_254_740_991.0, integer: true) is { } seedProblem) return (null, seedProblem with { Field = "settings.seed" });
        var (tone, toneProblem) = FieldProblem.OfChoice(settings, "tone", Tones, "professional", "settings.tone", ignoreCase: true);
        if (toneProblem is not null) return (null, toneProblem);
        var usePersona = settings["usePersona"] is { } up && up.GetValueKind() == JsonValueKind.True;
        if (settings["usePersona"] is { } u && u.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)) return (null, new("settings.usePersona", "must be true or false."));
        string? personaId = null;
        if (usePersona)
        {
            if (FieldProblem.OfText(settings, "personaId", 100) is var (id, idProblem) && idProblem is not null) return (null, idProblem with { Field = "settings.personaId" });
            personaId = id;
        }
        var (usage, usageProblem) = FieldProblem.OfChoice(settings, "usage", Usages.All, Usages.Personal, "settings.usage");
        if (usageProblem is not null) return (null, usageProblem);
        var seed = settings["seed"] is { } s ? (long)s.GetValue<double>() : Random.Shared.NextInt64(0, int.MaxValue);
        return (new SmartPostRequest(new ContentBrief(title!, transcript, analysis, tone!), kinds, platforms, settings["creativity"]?.GetValue<double>() ?? 0.5,
            personaId, usage!, seed), null);
    }

    private static (ContentAnalysis?, FieldProblem?) Analysis(JsonNode? node)
    {
        if (node is null) return (null, null);
        if (node is not JsonObject o) return (null, new("contentAnalysis", "must be an object: { keyTopics, moments, sentiment }."));
        if (o.Select(p => p.Key).FirstOrDefault(k => k is not ("keyTopics" or "moments" or "sentiment")) is { } unknown)
            return (null, new($"contentAnalysis.{unknown}", "is not a field; use keyTopics, moments, sentiment."));
        var (topics, topicProblem) = FieldProblem.OfStrings(o, "keyTopics", 20, 100);
        if (topicProblem is not null) return (null, topicProblem with { Field = "contentAnalysis.keyTopics" });
        var (moments, momentProblem) = FieldProblem.OfStrings(o, "moments", 20, 500);
        if (momentProblem is not null) return (null, momentProblem with { Field = "contentAnalysis.moments" });
        string? sentiment = null;
        if (o["sentiment"] is { } sn)
        {
            if (sn.GetValueKind() != JsonValueKind.String || sn.GetValue<string>().Length > 50) return (null, new("contentAnalysis.sentiment", "must be a string of at most 50 characters."));
            sentiment = sn.GetValue<string>();
        }
        return (new ContentAnalysis(topics, moments, sentiment), null);
    }

    private static (List<T>?, FieldProblem?) Choices<T>(JsonObject settings, string field) where T : struct, Enum
    {
        var names = Enum.GetNames<T>().Select(n => n.ToLowerInvariant()).ToList();
        var (values, problem) = FieldProblem.OfStrings(settings, field, names.Count, 40);
        if (problem is not null) return (null, problem with { Field = $"settings.{field}" });
        if (values is not { Count: > 0 }) return (null, new($"settings.{field}", $"is required: a list of {string.Join(", ", names)}."));
        if (values.FirstOrDefault(v => !names.Contains(v.ToLowerInvariant())) is { } bad)
            return (null, new($"settings.{field}", $"'{bad}' is not one of {string.Join(", ", names)}."));
        return (values.Select(v => Enum.Parse<T>(v, ignoreCase: true)).Distinct().ToList(), null);
    }
}
