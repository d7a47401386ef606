using System.Text.Json.Nodes;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.Events;

/// <summary>The dry-run host with keep-alives every 0.2 s, so idle streams show them quickly.</summary>
public sealed class EventStreamHost : ApiHost
{
    protected override Task<IDictionary<string, string?>> ExtraSettingsAsync() =>
        Task.FromResult<IDictionary<string, string?>>(new Dictionary<string, string?>
        {
            ["Personas:Training:DryRunSeconds"] = "1",
            ["Personas:Events:KeepAliveSeconds"] = "0.2",
            ["Personas:Events:RetryMilliseconds"] = "1500",
        });
}

/// <summary>The persona event stream read from the real host, every read with a deadline.</summary>
public sealed class EventStreamTests(EventStreamHost host) : IClassFixture<EventStreamHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);

    [Fact]
    public async Task An_idle_stream_sets_retry_sends_the_state_with_an_id_then_keeps_alive_and_stays_open()
    {
        var id = await PersonaApiTests.CreateAsync(_alice, "zqxsseidle");
        using var stream = await EventStream.OpenAsync(_alice, id);

        var first = (await stream.NextAsync())!;
        Assert.Equal("1500", first.Field("retry"));
        var status = (await stream.NextAsync())!;
        Assert.Equal("status", status.Field("event"));
        Assert.False(string.IsNullOrEmpty(status.Field("id")));
        Assert.Equal("Draft", JsonNode.Parse(status.Field("data")!)!["status"]!.GetValue<string>());
        // Nothing is running: the stream neither repeats the state nor ends; it keeps alive.
        for (var i = 0; i < 3; i++) Assert.True((await stream.NextAsync())!.IsKeepAlive);
    }

    [Fact]
    public async Task A_reconnect_with_last_event_id_is_not_sent_the_event_it_has()
    {
        var id = await PersonaApiTests.CreateAsync(_alice, "zqxsseresume");
        string lastId;
        using (var stream = await EventStream.OpenAsync(_alice, id))
            lastId = (await stream.UntilAsync(f => f.Field("event") == "status", "the first status")).Field("id")!;

        using var resumed = await EventStream.OpenAsync(_alice, id, lastId);
        Assert.NotNull((await resumed.NextAsync())!.Field("retry"));
        Assert.True((await resumed.NextAsync())!.IsKeepAlive); // not the status again

        using var stale = await EventStream.OpenAsync(_alice, id, "0123456789abcdef");
        await stale.NextAsync();
        Assert.Equal(lastId, (await stale.NextAsync())!.Field("id"));
    }

    [Fact]
    public async Task Training_progress_streams_with_ids_and_the_stream_stays_open_after_ready()
    {
        var id = await TrainingApiTests.PersonaWithPhotosAsync(_alice, "zqxssetrain");
        using var stream = await EventStream.OpenAsync(_alice, id);
        await stream.UntilAsync(f => f.Field("event") == "status", "the draft status");
        await Json(await _alice.PostAsync($"/api/personas/{id}/train", null), 202);

        var seen = new List<string>();
        var ready = await stream.UntilAsync(f =>
        {
            if (f.Field("data") is not { } data) return false;
            Assert.NotNull(f.Field("id"));
            var status = JsonNode.Parse(data)!["status"]!.GetValue<string>();
            seen.Add(status);
            return status is "Ready" or "Failed";
        }, "the persona to be ready");

        Assert.Equal("Ready", seen[^1]);
        Assert.Contains(seen, s => s is "Preparing" or "Training" or "Validating");
        var model = JsonNode.Parse(ready.Field("data")!)!["models"]![0]!;
        var image = model["validation"]!["candidates"]![0]!["images"]![0]!;
        Assert.StartsWith("/api/blobs/", image["url"]!.GetValue<string>());
        Assert.True((await stream.UntilAsync(f => f.IsKeepAlive, "a keep-alive after ready", 30)).IsKeepAlive);
    }

    [Fact]
    public async Task Deleting_the_persona_sends_deleted_and_ends_the_stream()
    {
        var id = await PersonaApiTests.CreateAsync(_alice, "zqxssedelete");
        using var stream = await EventStream.OpenAsync(_alice, id);
        await stream.UntilAsync(f => f.Field("event") == "status", "the first status");

        await PersonaDeletion.DeleteAndWaitAsync(_alice, id);

        var deleted = await stream.UntilAsync(f => f.Field("event") == "deleted", "the deleted event");
        Assert.NotNull(deleted.Field("id"));
        Assert.Null(await stream.NextAsync());
    }

    [Fact]
    public async Task Another_owners_persona_has_no_stream()
    {
        var id = await PersonaApiTests.CreateAsync(_alice, "zqxsseowner");
        await Problem(await host.Client(ApiHost.BobKey).GetAsync($"/api/personas/{id}/events"), 404, "personaId");
    }
}
