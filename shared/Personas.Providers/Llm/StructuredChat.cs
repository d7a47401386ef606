using System.Text.Json;
using System.Text.Json.Serialization;
using OpenAI.Chat;

namespace Personas.Providers.Llm;

/// <summary>One chat completion with a strict JSON-schema answer, read into <typeparamref name="T"/>.</summary>
public static class StructuredChat
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The answer; <see cref="ChatCopyException"/> when the model sends nothing or other JSON.</summary>
    public static async Task<T> CompleteAsync<T>(ChatClient chat, IEnumerable<ChatMessage> messages, string name,
        string schema, float temperature, int maxTokens, CancellationToken ct) where T : class
    {
        var options = new ChatCompletionOptions
        {
            Temperature = temperature,
            MaxOutputTokenCount = maxTokens,
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat(name, BinaryData.FromString(schema),
                jsonSchemaIsStrict: true),
        };
        ChatCompletion completion = await chat.CompleteChatAsync(messages, options, ct);
        var text = completion.Content.FirstOrDefault()?.Text
            ?? throw new ChatCopyException("The model returned no content.");
        try
        {
            return JsonSerializer.Deserialize<T>(text, Json) ?? throw new ChatCopyException("The model returned null.");
        }
        catch (JsonException ex)
        {
            throw new ChatCopyException($"The model's answer is not the requested JSON: {ex.Message}");
        }
    }

    /// <summary>
    /// Whether an exception is the model failing (not the caller canceling), so a fallback may answer.
    /// </summary>
    public static bool IsModelFailure(Exception ex, CancellationToken ct) =>
        ex is ChatCopyException or System.ClientModel.ClientResultException or HttpRequestException
        || ex is TaskCanceledException && !ct.IsCancellationRequested;
}
