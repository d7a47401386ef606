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

    public bool Configured => !string.IsNullOrWhiteSpace(Endpoint) && !string.IsNullOrWhiteSpace(VisionModel);
}
