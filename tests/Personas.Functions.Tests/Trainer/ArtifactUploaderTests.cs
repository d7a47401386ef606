using System.Text.Json;
using Azure.Core;
using Azure.Storage.Blobs;
using Personas.Trainer.Artifacts;
using Personas.Trainer.Callbacks;

namespace Personas.Functions.Tests.Trainer;

/// <summary>
/// The managed-identity path: Azurite over https with OAuth, an identity token, and user-delegation read links.
/// (The SAS-in-URL path, links followed by the host, runs in <see cref="TrainerAgentTests"/>.)
/// </summary>
public sealed class ArtifactUploaderTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("personas-uploader-tests-").FullName;
    private AzuriteBlobs _azurite = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteBlobs.StartAsync(https: true);
    }

    [Fact]
    public async Task With_an_identity_it_uploads_by_token_and_links_are_https_user_delegation_sas_reading_one_blob()
    {
        var output = Directory.CreateDirectory(Path.Combine(_dir, "output", "lora")).FullName;
        await File.WriteAllTextAsync(Path.Combine(output, "lora.safetensors"), "final weights");
        await File.WriteAllTextAsync(Path.Combine(output, "lora_000000250.safetensors"), "a checkpoint");
        var identity = new UnsignedStorageToken();
        var uploader = new ArtifactUploader(_azurite.Artifacts.Uri, TimeSpan.FromHours(1), TimeProvider.System, identity,
            _azurite.ClientOptions());

        var links = await uploader.UploadAsync("run-1", ArtifactFiles.Find(Path.Combine(_dir, "output"), "lora.safetensors"), default);

        Assert.True(identity.Requests > 0);
        Assert.Equal([CallbackArtifact.Weights, CallbackArtifact.Checkpoint], links.Select(l => l.Kind));
        Assert.Equal(["lora.safetensors", "lora_000000250.safetensors"], links.Select(l => l.Name));
        var weights = new BlobUriBuilder(new Uri(links[0].Url));
        Assert.Equal(("https", "run-1/lora.safetensors"), (new Uri(links[0].Url).Scheme, weights.BlobName));
        Assert.False(string.IsNullOrEmpty(weights.Sas.KeyObjectId)); // a user-delegation SAS, not an account key's
        Assert.Equal(("r", "https"), (weights.Sas.Permissions, weights.Sas.Protocol.ToString().ToLowerInvariant()));

        // Anyone with the link can read that blob (as the host does), and nothing more.
        // The files are in the container, written with the identity's token.
        var stored = await _azurite.Artifacts.GetBlobClient("run-1/lora.safetensors").DownloadContentAsync();
        Assert.Equal("final weights", stored.Value.Content.ToString());
        using var anyone = new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, _, _, _) => true, // Azurite's own test certificate
        });
        Assert.Equal("final weights", await anyone.GetStringAsync(links[0].Url));
        var other = new BlobUriBuilder(new Uri(links[0].Url)) { BlobName = "run-1/lora_000000250.safetensors" }.ToUri();
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await anyone.GetAsync(other)).StatusCode);
    }

    [Fact]
    public void Without_a_lora_the_run_has_nothing_to_upload()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "empty"));
        var error = Assert.Throws<ArtifactException>(() => ArtifactFiles.Find(Path.Combine(_dir, "empty"), "lora.safetensors"));
        Assert.Contains("wrote no lora.safetensors", error.Message);
    }

    public async Task DisposeAsync()
    {
        await _azurite.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>
    /// An Entra-shaped token for storage. Azurite's basic OAuth reads issuer, audience and lifetime but checks no
    /// signature, so it is unsigned: the seam where DefaultAzureCredential would ask the managed identity endpoint.
    /// </summary>
    private sealed class UnsignedStorageToken : TokenCredential
    {
        public int Requests;

        public override AccessToken GetToken(TokenRequestContext context, CancellationToken ct)
        {
            Interlocked.Increment(ref Requests);
            Assert.Equal(["https://storage.azure.com/.default"], context.Scopes);
            var now = DateTimeOffset.UtcNow;
            var claims = new Dictionary<string, object>
            {
                ["aud"] = "https://storage.azure.com", ["iss"] = $"https://sts.windows.net/{Guid.Empty}/",
                ["iat"] = now.ToUnixTimeSeconds(), ["nbf"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
                ["exp"] = now.AddHours(1).ToUnixTimeSeconds(), ["oid"] = "0c0a4b3e-1d5e-4f0e-9a51-5a0f1f0a7e11",
                ["tid"] = Guid.Empty.ToString(),
            };
            var token = $"{Part(new { alg = "none", typ = "JWT" })}.{Part(claims)}.";
            return new AccessToken(token, now.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext context, CancellationToken ct) =>
            new(GetToken(context, ct));

        private static string Part(object value) => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(value))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
