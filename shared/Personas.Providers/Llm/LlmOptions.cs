using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.Core;
using Azure.Identity;

namespace Personas.Providers.Llm;

/// <summary>
/// An OpenAI-compatible endpoint, under <c>Personas:Llm:*</c>: Azure OpenAI v1 (https://RES.openai.azure.com/openai/v1/,
/// Model = deployment name), OpenAI (https://api.openai.com/v1/), or a local llama.cpp / Ollama server. Empty Endpoint
/// means no model: captions and post copy come from templates.
/// </summary>
public sealed class LlmOptions
{
    public const string Section = "Personas:Llm";

    /// <summary>The scope of an Entra token for Azure OpenAI (Cognitive Services).</summary>
    public const string AzureOpenAiScope = "https://cognitiveservices.azure.com/.default";

    public string? Endpoint { get; set; }
    public string? ApiKey { get; set; }

    /// <summary>
    /// <c>key</c> (the default): <see cref="ApiKey"/> as a bearer token. <c>entra</c>: a Microsoft Entra token for
    /// Azure OpenAI from the host's identity (DefaultAzureCredential, or <see cref="ManagedIdentityClientId"/>), so no
    /// key is stored anywhere. Entra needs an https endpoint.
    /// </summary>
    public string Auth { get; set; } = "key";

    /// <summary>A user-assigned identity's client id for <c>entra</c>; empty: DefaultAzureCredential decides.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>A vision-capable chat model (or Azure deployment), for captions.</summary>
    public string? VisionModel { get; set; }

    /// <summary>A chat model (or Azure deployment) for post copy and image prompts; structured JSON-schema output is required.</summary>
    public string? TextModel { get; set; }

    /// <summary>The Entra credential; tests and hosts may set one, otherwise it is made from the settings.</summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>The HTTP transport; tests set one that trusts their loopback certificate.</summary>
    public PipelineTransport? Transport { get; set; }

    public bool TextConfigured => !string.IsNullOrWhiteSpace(Endpoint) && !string.IsNullOrWhiteSpace(TextModel);

    public bool Configured => !string.IsNullOrWhiteSpace(Endpoint) && !string.IsNullOrWhiteSpace(VisionModel);

    /// <summary>
    /// A chat client for <paramref name="model"/> on this endpoint, authenticated as <see cref="Auth"/> says.
    /// </summary>
    public OpenAI.Chat.ChatClient ChatClient(string model)
    {
        var options = new OpenAI.OpenAIClientOptions { Endpoint = new Uri(Endpoint!) };
        if (Transport is not null) options.Transport = Transport;
        switch (Auth.Trim().ToLowerInvariant())
        {
            case "key":
                // Keyless local servers (llama.cpp, Ollama) still get a bearer header; they ignore it.
                return new(model, new ApiKeyCredential(string.IsNullOrEmpty(ApiKey) ? "none" : ApiKey), options);
            case "entra":
                if (options.Endpoint.Scheme != Uri.UriSchemeHttps)
                    throw new InvalidOperationException($"{Section}:Auth entra needs an https {Section}:Endpoint.");
                var credential = Credential ?? new DefaultAzureCredential(new DefaultAzureCredentialOptions
                {
                    ManagedIdentityClientId = string.IsNullOrEmpty(ManagedIdentityClientId) ? null : ManagedIdentityClientId,
                });
                // The token-policy constructor is marked experimental; it is the documented Entra path.
#pragma warning disable OPENAI001
                return new(model, new BearerTokenPolicy(credential, AzureOpenAiScope), options);
#pragma warning restore OPENAI001
            default:
                throw new InvalidOperationException($"{Section}:Auth must be 'key' or 'entra', not '{Auth}'.");
        }
    }
}
