using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Personas.Local.Demo;

/// <summary>
/// A small batch after the persona is ready: a template × two variations (3 places, 2 lights: 6 pictures), its
/// progress as it goes, and the zip of the results saved in the data directory.
/// </summary>
public static class BatchDemo
{
    public static async Task<bool> DriveAsync(HttpClient http, Stopwatch clock, string personaId, string dataDir)
    {
        var start = await http.PostAsJsonAsync($"/api/personas/{personaId}/batches", new
        {
            template = "{trigger} at {place}, {light}", platform = "square", seed = 11,
            variations = new { place = new[] { "a cafe", "the beach", "a desk" }, light = new[] { "dawn", "dusk" } },
        });
        var accepted = await start.Content.ReadFromJsonAsync<JsonObject>();
        if (start.StatusCode != HttpStatusCode.Accepted)
            return PersonaDemo.Fail(
                $"POST /api/personas/{personaId}/batches answered {(int)start.StatusCode}: {accepted}");
        var summary = accepted!["batch"]!;
        Console.WriteLine($"[demo] POST /api/personas/{personaId}/batches -> 202, batch {summary["id"]}: "
            + $"{summary["progress"]!["total"]} pictures from '{summary["template"]}', "
            + $"{summary["concurrency"]} at a time");
        var deadline = clock.Elapsed + TimeSpan.FromMinutes(5);
        string? last = null;
        while (clock.Elapsed < deadline)
        {
            var batch = (await http.GetFromJsonAsync<JsonObject>(summary["resultUri"]!.GetValue<string>()))!["batch"]!;
            var progress = batch["progress"]!;
            var line = $"{batch["status"]} {progress["done"]}/{progress["total"]} done, {progress["failed"]} failed, "
                + $"${progress["spentUsd"]}";
            if (line != last) Console.WriteLine($"[demo] {clock.Elapsed.TotalSeconds,5:0.0}s  batch {line}");
            last = line;
            if (batch["status"]!.GetValue<string>() is "Completed" or "Canceled" or "Stopped")
                return batch["status"]!.GetValue<string>() == "Completed"
                    ? await SaveZipAsync(http, batch, dataDir)
                    : PersonaDemo.Fail($"the batch ended {batch["status"]}: {batch["reason"]}");
            await Task.Delay(200);
        }
        return PersonaDemo.Fail("the batch did not finish in time");
    }

    private static async Task<bool> SaveZipAsync(HttpClient http, JsonNode batch, string dataDir)
    {
        var path = Path.Combine(dataDir, $"batch-{batch["id"]}.zip");
        await using (var file = File.Create(path))
            await (await http.GetStreamAsync(batch["zipUri"]!.GetValue<string>())).CopyToAsync(file);
        using var zip = ZipFile.OpenRead(path);
        Console.WriteLine($"[demo] GET {batch["zipUri"]} -> {path} ({batch["label"] ?? "generated"}):");
        foreach (var entry in zip.Entries)
            Console.WriteLine($"[demo]   {entry.FullName,-40} {entry.Length,9:N0} bytes");
        return true;
    }
}
