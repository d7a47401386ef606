using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Personas.Api.Hosting;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.Posts;

/// <summary>A post scheduled on one host is published at its time by the next host on the same data, after a restart.</summary>
public sealed class PostRestartTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "personas-restart-tests", Guid.NewGuid().ToString("N"));
    private readonly TestClock _clock = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    private Task<(WebApplication App, HttpClient Client)> StartAsync() =>
        RestartingHost.StartAsync(_dataDir, services => services.AddSingleton<TimeProvider>(_clock));

    [Fact]
    public async Task The_host_restarts_while_a_post_is_scheduled_and_it_still_publishes_at_its_time()
    {
        var (first, client) = await StartAsync();
        string id;
        DateTimeOffset at;
        await using (first)
        {
            var post = (await PostFlowTests.GenerateAsync(client, null, ["quote"], ["linkedin"])).Single();
            id = post["id"]!.GetValue<string>();
            await Json(await client.PostAsync($"/api/posts/{id}/approve", null), 202);
            await PostFlowTests.WaitForAsync(client, id, "Staged");
            at = _clock.GetUtcNow().AddHours(2);
            await Json(await client.PostAsJsonAsync($"/api/posts/{id}/schedule", new { at }), 202);
            await PostFlowTests.WaitForAsync(client, id, "Scheduled");
            await first.StopAsync();
        }

        var outbox = Path.Combine(_dataDir, "outbox", "alice", id, "post.json");
        Assert.False(File.Exists(outbox));
        _clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1)); // the time passes while no host runs

        var (second, again) = await StartAsync();
        await using (second)
        {
            var published = await PostFlowTests.WaitForAsync(again, id, "Published");
            Assert.Equal("outbox", published["publication"]!["publisher"]!.GetValue<string>());
            Assert.True(File.Exists(outbox));
            Assert.Contains(published["history"]!.AsArray(), h => h!["what"]!.GetValue<string>().StartsWith($"Scheduled for {at.UtcDateTime:yyyy-MM-dd HH:mm:ss}"));
            Assert.Single(Directory.GetDirectories(Path.Combine(_dataDir, "outbox", "alice")));
            await second.StopAsync();
        }
    }
}
