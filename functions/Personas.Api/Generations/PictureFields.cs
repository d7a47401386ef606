using System.Text.Json.Nodes;
using Personas.Api.Problems;
using Personas.Domain.Generations;
using Personas.Domain.Personas;

namespace Personas.Api.Generations;

/// <summary>What every request for pictures checks alike: no unknown keys, a known platform, a usage.</summary>
internal static class PictureFields
{
    /// <summary>The platform (required) and usage (personal when absent), each problem added to the list.</summary>
    public static (string? Platform, string? Usage) Read(JsonObject body, IReadOnlyCollection<string> fields,
        string what, List<FieldProblem> problems)
    {
        foreach (var key in body.Select(p => p.Key).Where(k => !fields.Contains(k)))
            problems.Add(new(key, $"is not a {what} setting; use {string.Join(", ", fields)}."));
        var (platform, platformProblem) = FieldProblem.OfText(body, "platform", 40);
        problems.AddIfAny(platformProblem);
        if (platform is not null && !PlatformSizes.TryGet(platform, out _))
            problems.Add(new("platform", $"must be one of {string.Join(", ", PlatformSizes.Names)}."));
        var (usage, usageProblem) = FieldProblem.OfChoice(body, "usage", Usages.All, Usages.Personal);
        problems.AddIfAny(usageProblem);
        return (platform, usage);
    }
}
