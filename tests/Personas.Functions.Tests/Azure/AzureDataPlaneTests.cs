using System.IO.Compression;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Personas.Azure.Blobs;
using Personas.Domain.Blobs;
using Personas.Domain.Stores;
using Personas.Functions.Tests.Batches;
using Personas.TestEmulators;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.Azure;

/// <summary>
/// The whole API on Azure's data plane as the Function App is configured in Azure: the catalog in Cosmos DB (the
/// emulator) and blobs in Blob Storage (Azurite), with the dry-run trainer and picture maker. Nothing reaches the
/// data directory.
/// </summary>
public sealed class AzureDataPlaneHost : ApiHost
{
    private readonly Azurite _azurite = new();
    private readonly CosmosEmulator _cosmos = new();

    protected override async Task<IDictionary<string, string?>> ExtraSettingsAsync()
    {
        await Task.WhenAll(_azurite.InitializeAsync(), _cosmos.InitializeAsync());
        return new Dictionary<string, string?>
        {
            ["Personas:Training:DryRunSeconds"] = "1",
            ["Personas:Catalog:Provider"] = "cosmos",
            ["Personas:Cosmos:Endpoint"] = _cosmos.Settings.Endpoint,
            ["Personas:Cosmos:Key"] = _cosmos.Settings.Key,
            ["Personas:Cosmos:TrustEmulatorCertificate"] = "true",
            ["Personas:Cosmos:Database"] = "api" + Guid.NewGuid().ToString("N")[..8],
            ["Personas:Blobs:Provider"] = "azure",
            ["Personas:Blobs:ConnectionString"] = _azurite.ConnectionString,
            ["Personas:Blobs:ServiceVersion"] = Azurite.ServiceVersion,
        };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Task.WhenAll(_azurite.DisposeAsync(), _cosmos.DisposeAsync());
    }
}

public sealed class AzureDataPlaneTests(AzureDataPlaneHost host) : IClassFixture<AzureDataPlaneHost>
{
    [Fact]
    public async Task A_persona_is_prepared_trained_batched_chatted_and_deleted_with_every_byte_in_cosmos_and_blobs()
    {
        Assert.IsType<AzureBlobStore>(host.App.Services.GetRequiredService<IBlobStore>());
        Assert.StartsWith("Cosmos", host.App.Services.GetRequiredService<ICatalog>().GetType().Name);
        var alice = host.Client(ApiHost.AliceKey);
        var id = await TrainingApiTests.PersonaWithPhotosAsync(alice, "zqxazure");
        Assert.Equal(404, (int)(await host.Client(ApiHost.BobKey).GetAsync($"/api/personas/{id}")).StatusCode);

        await Json(await alice.PostAsync($"/api/personas/{id}/train", JsonContent.Create(new { steps = 100 })), 202);
        var ready = await TrainingApiTests.WaitForStatusAsync(alice, id, "Ready", "Failed");
        Assert.Equal("Ready", ready["status"]!.GetValue<string>());
        var weightsBlob = ready["models"]![0]!["weightsBlob"]!.GetValue<string>();
        var blobs = host.App.Services.GetRequiredService<IBlobStore>();
        Assert.NotNull(await blobs.ReadAllBytesAsync(weightsBlob));
        var photos = await host.App.Services.GetRequiredService<ICatalog>().ListPhotosAsync("alice", id);
        Assert.Equal(2, photos.Count);
        var batch = await BatchCalls.StartAsync(alice, id,
            new { prompts = new[] { "{trigger} on a beach", "{trigger} at a desk" }, platform = "square" });
        var done = await BatchCalls.WaitForStatusAsync(alice, batch, "Completed");
        Assert.Equal(2, BatchCalls.Progress(done, "done"));
        var batchBlob = done["items"]![0]!["blob"]!.GetValue<string>();
        Assert.NotNull(await blobs.ReadAllBytesAsync(batchBlob));
        var zip = await alice.GetAsync(done["batch"]!["zipUri"]!.GetValue<string>());
        Assert.Equal(3, new ZipArchive(await zip.Content.ReadAsStreamAsync()).Entries.Count);
        var chat = await Json(await alice.PostAsJsonAsync($"/api/personas/{id}/chat", new { message = "Hello!" }), 200);
        var conversation = chat["conversationId"]!.GetValue<string>();
        Assert.Equal(200, (int)(await alice.GetAsync($"/api/personas/{id}/conversations/{conversation}")).StatusCode);
        Assert.False(Directory.Exists(Path.Combine(host.DataDir, "blobs")), "no blob may land on the local disk");

        await Json(await alice.DeleteAsync($"/api/personas/{id}"), 202);
        await Eventually.GetAsync(async () => (int)(await alice.GetAsync($"/api/personas/{id}")).StatusCode == 404 ? "gone" : null,
            "the persona to be deleted");
        await Eventually.GetAsync(async () => await blobs.ReadAllBytesAsync(weightsBlob) is null
            && await blobs.ReadAllBytesAsync(photos[0].Blob) is null && await blobs.ReadAllBytesAsync(batchBlob) is null
                ? "erased" : null, "its blobs to be erased");
        // The deletion workflow writes the audit entry as its last step.
        await Eventually.GetAsync(async () => (await Items(alice, "/api/audit"))
            .Any(e => e!["personaId"]!.GetValue<string>() == id) ? "audited" : null, "the deletion's audit entry");
        Assert.Empty(await host.App.Services.GetRequiredService<ICatalog>().ListPhotosAsync("alice", id));
        Assert.Empty(await host.App.Services.GetRequiredService<IBatchCatalog>().ListBatchesAsync("alice", id));
        Assert.Empty(await host.App.Services.GetRequiredService<Domain.Chat.IChatCatalog>()
            .ListConversationsAsync("alice", id));
    }
}
