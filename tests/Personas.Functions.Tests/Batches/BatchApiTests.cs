using System.IO.Compression;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Personas.Functions.Tests.Batches.BatchCalls;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.Batches;

public sealed class BatchApiTests(BatchApiHost host) : IClassFixture<BatchApiHost>, IDisposable
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);
    private readonly HttpClient _bob = host.Client(ApiHost.BobKey);
    private GatedGenerator Generator => host.Generator;

    private static readonly string[] SixPrompts =
    [
        "{trigger} on a beach", "{trigger} in a cafe", "../../etc/passwd", "{trigger} at a desk", "ä ö ü", "p6",
    ];

    [Fact]
    public async Task A_list_batch_makes_every_picture_two_at_a_time_and_zips_them()
    {
        var id = await host.PersonaAsync();
        Generator.Hold();
        Generator.ResetMax();
        var accepted = await StartAsync(_alice, id, new { prompts = SixPrompts, platform = "square", seed = 100 });
        await Eventually.GetAsync(() => Generator.InFlight == 2 ? "" : null, "two pictures in flight");
        Assert.Equal("Running", Status(await GetAsync(_alice, accepted)));
        Generator.Release();
        var batch = await WaitForStatusAsync(_alice, accepted, "Completed");
        Assert.Equal(2, Generator.MaxInFlight); // the cap (Personas:Batches:Concurrency), and it was reached

        var summary = batch["batch"]!;
        Assert.Equal((6, 0, 0, 6), (Progress(batch, "done"), Progress(batch, "failed"), Progress(batch, "pending"),
            Progress(batch, "total")));
        Assert.Equal(3.0m, summary["progress"]!["spentUsd"]!.GetValue<decimal>());
        Assert.Contains("DRY RUN", summary["label"]!.GetValue<string>());
        var items = batch["items"]!.AsArray();
        Assert.Equal(Enumerable.Range(100, 6).Select(i => (long)i), items.Select(i => i!["seed"]!.GetValue<long>()));
        Assert.Equal("zqxbatch on a beach", items[0]!["prompt"]!.GetValue<string>());
        var picture = await _bob.GetAsync(items[0]!["url"]!.GetValue<string>()); // signed: no key needed
        Assert.Equal("image/jpeg", picture.Content.Headers.ContentType?.MediaType);
        var costs = await Json(await _alice.GetAsync($"/api/personas/{id}/costs"), 200);
        Assert.Equal(6, PaidPictures(costs, accepted));

        var listed = await Json(await _alice.GetAsync($"/api/personas/{id}/batches"), 200);
        Assert.Contains(listed["items"]!.AsArray(),
            b => b!["id"]!.GetValue<string>() == summary["id"]!.GetValue<string>());
        Assert.True(listed["total"]!.GetValue<int>() >= 1);
        await Problem(await _bob.GetAsync(summary["resultUri"]!.GetValue<string>()), 404, "batchId");
        await Problem(await _bob.GetAsync($"/api/personas/{id}/batches"), 404, "personaId");

        var zip = await _alice.GetAsync(summary["zipUri"]!.GetValue<string>());
        Assert.Equal("application/zip", zip.Content.Headers.ContentType?.MediaType);
        using var archive = new ZipArchive(await zip.Content.ReadAsStreamAsync(), ZipArchiveMode.Read);
        var names = archive.Entries.Select(e => e.FullName).ToList();
        Assert.Equal(["000-zqxbatch-on-a-beach.jpg", "001-zqxbatch-in-a-cafe.jpg", "002-etc-passwd.jpg",
            "003-zqxbatch-at-a-desk.jpg", "004-picture.jpg", "005-p6.jpg", "manifest.json"], names);
        Assert.Equal(
            await File.ReadAllBytesAsync(Path.Combine(host.DataDir, "blobs", items[2]!["blob"]!.GetValue<string>())),
            await ReadBytesAsync(archive.GetEntry("002-etc-passwd.jpg")!));
        var manifest = JsonNode.Parse(await ReadAsync(archive.GetEntry("manifest.json")!))!;
        Assert.Equal("002-etc-passwd.jpg", manifest["items"]![2]!["file"]!.GetValue<string>());

        var events = await _alice.GetStringAsync(summary["eventsUri"]!.GetValue<string>());
        Assert.Contains("event: progress", events);
        Assert.EndsWith("event: end\ndata: {\"status\":\"Completed\"}\n\n", events);

        // The last of three executions (one wave each) started at picture 4 with the first four counted.
        var instance = await WaitForStepAsync(_alice, accepted, "completed");
        Assert.Equal((4, 4, 0), (instance["input"]!["next"]!.GetValue<int>(),
            instance["input"]!["done"]!.GetValue<int>(), instance["input"]!["failed"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_template_makes_every_combination_of_its_variations()
    {
        var id = await host.PersonaAsync();
        var accepted = await StartAsync(_alice, id, new
        {
            template = "{trigger} at {place}, {light}", platform = "story",
            variations = new { place = new[] { "a cafe", "the beach" }, light = new[] { "dawn", "dusk" } },
        });
        var batch = await WaitForStatusAsync(_alice, accepted, "Completed");
        Assert.Equal(["zqxbatch at a cafe, dawn", "zqxbatch at a cafe, dusk", "zqxbatch at the beach, dawn",
            "zqxbatch at the beach, dusk"], batch["items"]!.AsArray().Select(i => i!["prompt"]!.GetValue<string>()));
        Assert.Equal("{trigger} at {place}, {light}", batch["batch"]!["template"]!.GetValue<string>());
        Assert.Equal((1080, 1920),
            (batch["batch"]!["width"]!.GetValue<int>(), batch["batch"]!["height"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Bad_batches_are_refused_naming_the_field_before_anything_is_stored()
    {
        var untrained = await TrainingApiTests.PersonaWithPhotosAsync(_alice, "zqxbatchnot");
        await Problem(await _alice.PostAsJsonAsync($"/api/personas/{untrained}/batches",
            new { prompts = new[] { "p" }, platform = "x" }), 409, "modelVersion");
        var id = await host.PersonaAsync();
        var before = (await Json(await _alice.GetAsync($"/api/personas/{id}/batches"), 200))["total"]!.GetValue<int>();
        var place = new[] { "a", "b" };
        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { platform = "x" }, "prompts"),
                     (new { prompts = Enumerable.Repeat("p", 501), platform = "x" }, "prompts"),
                     (new { prompts = Array.Empty<string>(), platform = "x" }, "prompts"),
                     (new { prompts = new[] { new string('p', 2001) }, platform = "x" }, "prompts"),
                     (new { template = new string('t', 1990) + "{v}", platform = "x",
                         variations = new { v = Enumerable.Range(0, 101).Select(i => $"v{i}") } }, "template"),
                     (new { prompts = new[] { "p" }, template = "t", platform = "x" }, "template"),
                     (new { template = "{trigger} at {place}", platform = "x" }, "variations"),
                     (new { template = "{trigger} at {place}", variations = new { }, platform = "x" },
                         "variations.place"),
                     (new { template = "at {place}", variations = new { place, mood = place }, platform = "x" },
                         "variations.mood"),
                     (new { template = "{a} {b} {c}", platform = "x", variations = new
                         {
                             a = Enumerable.Range(0, 8).Select(i => $"a{i}"),
                             b = Enumerable.Range(0, 8).Select(i => $"b{i}"),
                             c = Enumerable.Range(0, 8).Select(i => $"c{i}"),
                         } }, "variations"),
                     (new { prompts = new[] { "p" }, variations = new { place }, platform = "x" }, "variations"),
                     (new { prompts = new[] { "p" }, platform = "myspace" }, "platform"),
                     (new { prompts = new[] { "p" } }, "platform"),
                     (new { prompts = new[] { "p" }, platform = "x", blendStrength = 3 }, "blendStrength"),
                     (new { prompts = new[] { "p" }, platform = "x", seed = -1 }, "seed"),
                     (new { prompts = new[] { "p" }, platform = "x", usage = "resale" }, "usage"),
                     (new { prompts = new[] { "p" }, platform = "x", budgetUsd = -1 }, "budgetUsd"),
                     // a picture: $0.50
                     (new { prompts = new[] { "p" }, platform = "x", budgetUsd = 0.4 }, "budgetUsd"),
                     (new { prompts = new[] { "p" }, platform = "x", count = 2 }, "count"),
                 })
            await Problem(await _alice.PostAsJsonAsync($"/api/personas/{id}/batches", body), 400, field);
        var one = new { prompts = new[] { "p" }, platform = "x" };
        await Problem(await _alice.PostAsJsonAsync($"/api/personas/{id}/batches",
            new { one.prompts, one.platform, modelVersion = 99 }), 409, "modelVersion");
        await Problem(await _alice.PostAsJsonAsync($"/api/personas/{id}/batches",
            new { one.prompts, one.platform, usage = "commercial" }), 403, "consent");
        await Problem(await _bob.PostAsJsonAsync($"/api/personas/{id}/batches", one), 404, "personaId");
        Assert.Equal(before,
            (await Json(await _alice.GetAsync($"/api/personas/{id}/batches"), 200))["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_same_idempotency_key_starts_one_batch()
    {
        var id = await host.PersonaAsync();
        var body = new { prompts = new[] { "{trigger} twice" }, platform = "x" };
        HttpRequestMessage Keyed(object content) => new(HttpMethod.Post, $"/api/personas/{id}/batches")
        {
            Content = JsonContent.Create(content), Headers = { { "Idempotency-Key", "batch-key-1" } },
        };
        var first = await Json(await _alice.SendAsync(Keyed(body)), 202);
        var again = await _alice.SendAsync(Keyed(body));
        Assert.Equal(first["batch"]!["id"]!.GetValue<string>(),
            (await Json(again, 202))["batch"]!["id"]!.GetValue<string>());
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        await Problem(await _alice.SendAsync(Keyed(new { prompts = new[] { "other" }, platform = "x" })), 422,
            "Idempotency-Key");
        await WaitForStatusAsync(_alice, first, "Completed");
    }

    [Fact]
    public async Task Pause_waits_after_the_wave_in_flight_resume_goes_on_and_cancel_ends_it()
    {
        var id = await host.PersonaAsync();
        Generator.Hold();
        var accepted = await StartAsync(_alice, id, new { prompts = SixPrompts, platform = "x" });
        var batchUri = accepted["batch"]!["resultUri"]!.GetValue<string>();
        await Eventually.GetAsync(() => Generator.InFlight == 2 ? "" : null, "the first wave in flight");
        Assert.Equal("Paused", (await Json(await _alice.PostAsync($"{batchUri}/pause", null), 202))["status"]!
            .GetValue<string>());
        await Problem(await _alice.PostAsync($"{batchUri}/pause", null), 409, "batchId");
        Generator.Release();
        await WaitForStepAsync(_alice, accepted, "paused");
        var paused = await GetAsync(_alice, accepted);
        Assert.Equal(("Paused", 2, 4), (Status(paused), Progress(paused, "done"), Progress(paused, "pending")));

        Generator.Hold();
        Assert.Equal("Running", (await Json(await _alice.PostAsync($"{batchUri}/resume", null), 202))["status"]!
            .GetValue<string>());
        await Eventually.GetAsync(() => Generator.InFlight == 2 ? "" : null, "the second wave in flight");
        var canceled = await Json(await _alice.PostAsync($"{batchUri}/cancel", null), 202);
        Assert.Equal(("Canceled", "Canceled by the owner."), (canceled["status"]!.GetValue<string>(),
            canceled["reason"]!.GetValue<string>()));
        Generator.Release();
        await WaitForStepAsync(_alice, accepted, "canceled");
        var ended = await GetAsync(_alice, accepted);
        Assert.Equal(("Canceled", 4, 2), (Status(ended), Progress(ended, "done"), Progress(ended, "pending")));
        await Problem(await _alice.PostAsync($"{batchUri}/resume", null), 409, "batchId");
        await Problem(await _bob.PostAsync($"{batchUri}/cancel", null), 404, "batchId");
    }

    [Fact]
    public async Task The_budget_stops_the_batch_before_the_wave_that_would_go_over()
    {
        var id = await host.PersonaAsync();
        var accepted = await StartAsync(_alice, id, new { prompts = SixPrompts, platform = "x", budgetUsd = 2 });
        var stopped = await WaitForStatusAsync(_alice, accepted, "Stopped");
        Assert.Equal((4, 2), (Progress(stopped, "done"), Progress(stopped, "pending")));
        Assert.Equal(2.0m, stopped["batch"]!["progress"]!["spentUsd"]!.GetValue<decimal>());
        Assert.StartsWith("Budget: the next 2 picture(s) are estimated at $1.00",
            stopped["batch"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Withdrawing_consent_stops_a_paused_batch_and_deletion_removes_batches_and_pictures()
    {
        var id = await GenerationApiTests.ReadyPersonaAsync(_alice, "zqxbatchgone");
        Generator.Hold();
        var accepted = await StartAsync(_alice, id, new { prompts = SixPrompts, platform = "x" });
        var batchUri = accepted["batch"]!["resultUri"]!.GetValue<string>();
        await Eventually.GetAsync(() => Generator.InFlight == 2 ? "" : null, "the first wave in flight");
        await Json(await _alice.PostAsync($"{batchUri}/pause", null), 202);
        Generator.Release();
        await WaitForStepAsync(_alice, accepted, "paused");

        await Json(await _alice.PostAsync($"/api/personas/{id}/consent/withdraw", null), 200);
        var stopped = await WaitForStatusAsync(_alice, accepted, "Stopped");
        Assert.StartsWith("Consent:", stopped["batch"]!["reason"]!.GetValue<string>());
        Assert.Equal(2, Progress(stopped, "done"));

        var picture = Path.Combine(host.DataDir, "blobs", stopped["items"]![0]!["blob"]!.GetValue<string>());
        Assert.True(File.Exists(picture));
        await PersonaDeletion.DeleteAndWaitAsync(_alice, id);
        Assert.False(File.Exists(picture));
        Assert.Empty(PersonaDeletion.Leftovers(host.DataDir, id));
        await Problem(await _alice.GetAsync(batchUri), 404);
    }

    /// <summary>A test that failed while holding pictures must not hold up the next.</summary>
    public void Dispose() => Generator.Release();

    private static async Task<byte[]> ReadBytesAsync(ZipArchiveEntry entry)
    {
        using var copy = new MemoryStream();
        await using (var stream = entry.Open()) await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static async Task<string> ReadAsync(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open());
        return await reader.ReadToEndAsync();
    }
}
