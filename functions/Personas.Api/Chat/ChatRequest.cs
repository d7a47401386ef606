using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Personas.Api.Problems;

namespace Personas.Api.Chat;

/// <summary>The checked body of <c>POST /api/personas/{personaId}/chat</c>.</summary>
public sealed partial record ChatRequest(string Message, string? ConversationId)
{
    public const int MaxMessage = 4000;
    private static readonly string[] Fields = ["message", "conversationId"];

    /// <summary>The request, or every problem with the body at once.</summary>
    public static (ChatRequest? Request, IReadOnlyList<FieldProblem>? Problems) Parse(JsonObject? body)
    {
        if (body is null)
            return (null, [new("body", "Send a JSON object with message and, optionally, conversationId.")]);
        var problems = body.Select(p => p.Key).Where(k => !Fields.Contains(k))
            .Select(k => new FieldProblem(k, "is not a field of this request.")).ToList();
        var message = Text(body, "message");
        if (message is null || message.Trim().Length == 0 || message.Length > MaxMessage)
            problems.Add(new("message", $"Give a message of 1 to {MaxMessage} characters."));
        string? conversationId = null;
        if (body["conversationId"] is { } idNode)
        {
            conversationId = Text(body, "conversationId");
            if (conversationId is null || !ConversationIdPattern().IsMatch(conversationId))
                problems.Add(new("conversationId",
                    "Use an id this API gave (conv_ and 20 letters or digits), or leave it out to start one."));
        }
        return problems.Count > 0 ? (null, problems) : (new ChatRequest(message!.Trim(), conversationId), null);
    }

    private static string? Text(JsonObject body, string field) =>
        body[field] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>() : null;

    [GeneratedRegex("^conv_[a-z0-9]{20}$")]
    private static partial Regex ConversationIdPattern();
}
