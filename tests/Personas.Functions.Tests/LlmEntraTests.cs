using System.ClientModel.Primitives;
using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Personas.Providers.Llm;
using Personas.TestEmulators;

namespace Personas.Functions.Tests;

/// <summary>
/// Azure OpenAI's v1 endpoint with Entra tokens instead of a key, against a local https server that speaks the
/// chat-completions format: the host's identity is asked for a Cognitive Services token, sent as the bearer.
/// </summary>
public sealed class LlmEntraTests : IAsyncLifetime
{
    private WebApplication _fake = null!;
    private TestCertificate _certificate = null!;
    private readonly List<(string Path, string Authorization)> _requests = [];

    public async Task InitializeAsync() => (_fake, _certificate) = await LoopbackServer.StartHttpsAsync(app =>
        app.MapPost("/openai/v1/chat/completions", async (HttpContext http) =>
        {
            var body = (await JsonNode.ParseAsync(http.Request.Body))!;
            lock (_requests) _requests.Add((http.Request.Path, http.Request.Headers.Authorization.ToString()));
            return Results.Json(new
            {
                id = "chatcmpl-1", @object = "chat.completion", created = 1_700_000_000, model = body["model"]!.GetValue<string>(),
                choices = new[] { new { index = 0, message = new { role = "assistant", content = "hello" }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 3, completion_tokens = 1, total_tokens = 4 },
            });
        }));

    private LlmOptions Options(TokenCredential credential) => new()
    {
        Endpoint = $"{_fake.Urls.First()}/openai/v1/",
        Auth = "entra",
        TextModel = "text-deploy",
        Credential = credential,
        // Trust only this test's certificate.
        Transport = new HttpClientPipelineTransport(new HttpClient(_certificate.TrustingHandler())),
    };

    [Fact]
    public async Task Entra_sends_the_identitys_cognitive_services_token_as_the_bearer()
    {
        var credential = new RecordingCredential("entra-token-123");
        var reply = await Options(credential).ChatClient("text-deploy").CompleteChatAsync("Say hello.");

        Assert.Equal("hello", reply.Value.Content[0].Text);
        var (path, authorization) = Assert.Single(_requests);
        Assert.Equal("/openai/v1/chat/completions", path);
        Assert.Equal("Bearer entra-token-123", authorization);
        Assert.Equal([LlmOptions.AzureOpenAiScope], credential.Scopes.Distinct());
    }

    [Fact]
    public void Entra_over_plain_http_is_refused_with_a_clear_message()
    {
        var options = Options(new RecordingCredential("t"));
        options.Endpoint = "http://127.0.0.1:9/openai/v1/";
        var error = Assert.Throws<InvalidOperationException>(() => options.ChatClient("text-deploy"));
        Assert.Contains("https", error.Message);
    }

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        _certificate.Dispose();
    }

    private sealed class RecordingCredential(string token) : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext context, CancellationToken ct)
        {
            lock (Scopes) Scopes.AddRange(context.Scopes);
            return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext context, CancellationToken ct) =>
            new(GetToken(context, ct));
    }
}
