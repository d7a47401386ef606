namespace Personas.Providers.Llm;

/// <summary>
/// An OpenAI-compatible endpoint, under <c>Personas:Llm:*</c>: Azure OpenAI v1 (https://RES.openai.azure.com/openai/v1/,
/// Model = deployment name), OpenAI (https://api.openai.com/v1/), or a local llama.cpp / Ollama server. Empty Endpoint
/// means no model: captions and post copy come from templates.
/// </summary>
public sealed class LlmOptions
{
    public const string Section = "Personas:Llm";

    public string? Endpoint { get; set; }
    public string? ApiKey { get; set; }
    /// <summary>A vision-capable chat model (or Azure deployment), for captions.</summary>
    public string? VisionModel { get; set; }

    /// <summary>A chat model (or Azure deployment) for post copy and image prompts; structured JSON-schema output is required.</summary>
    public string? TextModel { get; set; }

    public bool TextConfigured => !string.IsNullOrWhiteSpace(Endpoint) && !string.IsNullOrWhiteSpace(TextModel);

    /// <summary>A chat client for <paramref name="model"/> on this endpoint; the key goes as a bearer token ("none" for keyless local servers).</summary>
    public OpenAI.Chat.ChatClient ChatClient(string model) => new(model, new System.ClientModel.ApiKeyCredential(string.IsNullOrEmpty(ApiKey) ? "none" : ApiKey),
        new OpenAI.OpenAIClientOptions { Endpoint = new Uri(Endpoint!) });

    public bool Configured => !string.IsNullOrWhiteSpace(Endpoint) && !string.IsNullOrWhiteSpace(VisionModel);
}
