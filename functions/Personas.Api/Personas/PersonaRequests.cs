using System.Text.Json;
using System.Text.Json.Nodes;
using Personas.Api.Problems;
using Personas.Domain.Personas;
using Personas.Imaging.Preparation;

namespace Personas.Api.Personas;

public sealed record ConsentRequest(bool? FacialRecognition, bool? AiTraining, bool? LikenessUsage, bool? DataRetention, ConsentRestrictions? Restrictions);

public sealed record CreatePersonaRequest(string? Name, string? TriggerWord, string? Mode, ConsentRequest? Consent,
    string? Voice = null, IReadOnlyList<string?>? Topics = null, IReadOnlyList<string?>? Restrictions = null)
{
    /// <summary>Every problem at once, keyed by the JSON path of the field, so a form can mark them all.</summary>
    public Dictionary<string, string[]> Problems()
    {
        var problems = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 100 || Name.Any(char.IsControl))
            problems["name"] = ["Give a name of 1 to 100 visible characters, without control characters."];
        if (TriggerWords.Problem(TriggerWord) is { } triggerProblem) problems["triggerWord"] = [triggerProblem];
        if (ParseMode(Mode) is null) problems["mode"] = ["Use 'portrait' or 'fullbody'."];
        if (Consent is null) problems["consent"] = ["Consent is required: facialRecognition, aiTraining, likenessUsage and dataRetention must all be true."];
        else
        {
            foreach (var (field, value) in new[] { ("facialRecognition", Consent.FacialRecognition), ("aiTraining", Consent.AiTraining),
                         ("likenessUsage", Consent.LikenessUsage), ("dataRetention", Consent.DataRetention) })
                if (value != true) problems[$"consent.{field}"] = ["Must be true: a persona cannot be created without this consent."];
            if (Consent.Restrictions?.TimeLimitDays is { } days && days is < 1 or > 3650)
                problems["consent.restrictions.timeLimitDays"] = ["Between 1 and 3650 days, or leave it out for no limit."];
        }
        foreach (var (field, reasons) in PersonaProfile.Problems(Voice, Topics, Restrictions))
            problems[field] = reasons;
        return problems;
    }

    public static PersonaMode? ParseMode(string? mode) => mode?.ToLowerInvariant() switch
    {
        "portrait" => PersonaMode.Portrait,
        "fullbody" or "full_body" or "full-body" => PersonaMode.FullBody,
        _ => null,
    };

    /// <summary>
    /// Reads the body into the request, or says which field has the wrong JSON type. The name is a label: bidi and
    /// zero-width characters are stripped from it (<see cref="DisplayText"/>), before its rules are checked.
    /// </summary>
    public static (CreatePersonaRequest? Request, string? Field, string? Problem) From(JsonNode? body)
    {
        if (body is not JsonObject) return (null, "body", "Send a JSON object with name, triggerWord, mode and consent.");
        try
        {
            var request = body.Deserialize<CreatePersonaRequest>(Durable.PersonasDataConverter.DefaultOptions);
            return (request?.Name is { } name ? request with { Name = DisplayText.Clean(name) } : request, null, null);
        }
        catch (JsonException ex)
        {
            return (null, ex.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body", "This field has the wrong type.");
        }
    }
}

public sealed record WithdrawConsentRequest(string? Reason);
