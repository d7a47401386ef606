using Microsoft.AspNetCore.Builder;
using static Personas.Functions.Tests.Batches.BatchCalls;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.Batches;

/// <summary>A batch paused on one host is resumed on the next host on the same data, and redoes nothing.</summary>
public sealed class BatchRestartTests : IAsyncLifetime
{
    private readonly string _dataDir =
        Path.Combine(Path.GetTempPath(), "personas-restart-tests", Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    private Task<(WebApplication App, HttpClient Client)> StartAsync(GatedGenerator generator) =>
        RestartingHost.StartAsync(_dataDir, services => generator.Register(services, BatchApiHost.Prices),
            new Dictionary<string, string?>
            {
                ["Personas:Photos:MinPhotos"] = "2",
                ["Personas:Training:DryRunSeconds"] = "1",
                ["Personas:Generation:PricePerImageUsd"] = BatchApiHost.Prices,
                ["Personas:Batches:Concurrency"] = "2",
            });

    [Fact]
    public async Task The_host_restarts_while_a_batch_is_paused_and_the_next_host_finishes_only_what_was_left()
    {
        var before = new GatedGenerator();
        var (first, client) = await StartAsync(before);
        System.Text.Json.Nodes.JsonObject accepted;
        byte[] firstPicture;
        await using (first)
        {
            var id = await GenerationApiTests.ReadyPersonaAsync(client, "zqxrestart");
            before.Hold();
            var calls = before.Calls;
            accepted = await BatchCalls.StartAsync(client, id, new { prompts = new[] { "a", "b", "c", "d", "e", "f" },
                platform = "x" });
            await Eventually.GetAsync(() => before.InFlight == 2 ? "" : null, "the first wave in flight");
            await Json(await client.PostAsync($"{accepted["batch"]!["resultUri"]}/pause", null), 202);
            before.Release();
            await WaitForStepAsync(client, accepted, "paused");
            Assert.Equal(2, before.Calls - calls);
            var paused = await GetAsync(client, accepted);
            firstPicture = await File.ReadAllBytesAsync(Path.Combine(_dataDir, "blobs",
                paused["items"]![0]!["blob"]!.GetValue<string>()));
            await first.StopAsync();
        }

        var after = new GatedGenerator();
        var (second, again) = await StartAsync(after);
        await using (second)
        {
            await Json(await again.PostAsync($"{accepted["batch"]!["resultUri"]}/resume", null), 202);
            var done = await WaitForStatusAsync(again, accepted, "Completed");
            Assert.Equal(6, Progress(done, "done"));
            Assert.Equal(4, after.Calls); // the two made before the restart were not made again
            Assert.Equal(firstPicture, await File.ReadAllBytesAsync(Path.Combine(_dataDir, "blobs",
                done["items"]![0]!["blob"]!.GetValue<string>())));
            var costs = await Json(await again.GetAsync($"/api/personas/{done["batch"]!["personaId"]}/costs"), 200);
            Assert.Equal(6, PaidPictures(costs, accepted));
            await second.StopAsync();
        }
    }
}
