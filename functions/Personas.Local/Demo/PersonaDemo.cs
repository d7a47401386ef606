using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Personas.Local.Demo;

/// <summary>
/// The persona flow, as a frontend drives it: create a persona with full consent, upload the sample photos, show each
/// photo's scores, prepare the dataset, and print where the fal.ai, Replicate and Kohya packages are.
/// </summary>
public static class PersonaDemo
{
    /// <summary>The repository ships two public-domain portraits of one person, so the demo lowers the minimum from 5 to 2.</summary>
    public const int MinPhotos = 2;

    /// <summary>tests/testdata/faces in this checkout: public-domain portraits, with their provenance in its README.</summary>
    public static string SamplePhotos()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Personas.Functions.sln"))) return Path.Combine(dir.FullName, "tests", "testdata", "faces");
        throw new DirectoryNotFoundException("Run the demo from the repository, or pass --photos DIR.");
    }

    public static async Task<bool> DriveAsync(HttpClient http, Stopwatch clock, string photoFolder)
    {
        var trigger = "zqx" + Guid.NewGuid().ToString("N")[..6];
        var created = await http.PostAsJsonAsync("/api/personas", new
        {
            name = "Demo persona", triggerWord = trigger, mode = "portrait",
            consent = new { facialRecognition = true, aiTraining = true, likenessUsage = true, dataRetention = true },
        });
        var persona = await created.Content.ReadFromJsonAsync<JsonObject>();
        if (created.StatusCode != HttpStatusCode.Created) return Fail($"creating the persona: {(int)created.StatusCode} {persona}");
        var id = persona!["id"]!.GetValue<string>();
        Console.WriteLine($"[demo] POST /api/personas -> 201 {id}, trigger word '{trigger}', consent recorded at {persona["consent"]!["grantedAt"]} from {persona["consent"]!["ipAddress"]}");

        // The two portraits of one person; biden.jpg is a different person and would not belong in this persona.
        var files = Directory.GetFiles(photoFolder, "obama*.jpg").Order().ToList();
        if (files.Count == 0) files = Directory.GetFiles(photoFolder).Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase)).ToList();
        using var form = new MultipartFormDataContent();
        foreach (var file in files)
        {
            var part = new ByteArrayContent(await File.ReadAllBytesAsync(file));
            part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(part, "files", Path.GetFileName(file));
        }
        var upload = await http.PostAsync($"/api/personas/{id}/photos", form);
        var intake = await upload.Content.ReadFromJsonAsync<JsonObject>();
        Console.WriteLine($"[demo] POST /api/personas/{id}/photos with {files.Count} photos from {photoFolder} -> {(int)upload.StatusCode}");
        foreach (var photo in (intake?["photos"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var s = photo["scores"];
            Console.WriteLine(photo["accepted"]!.GetValue<bool>()
                ? $"[demo]   accepted {photo["fileName"]}: overall {s!["overall"]!["value"]} (resolution {s["resolution"]!["value"]}, sharpness {s["sharpness"]!["value"]}, lighting {s["lighting"]!["value"]}, face {s["faceDetection"]!["value"]})"
                : $"[demo]   rejected {photo["fileName"]}: {string.Join("; ", photo["rejections"]!.AsArray().Select(r => r!["reason"]))}");
            if (s is not null) Console.WriteLine($"[demo]            {s["sharpness"]!["explanation"]} {s["lighting"]!["explanation"]}");
        }
        if (upload.StatusCode != HttpStatusCode.Created) return Fail("no photo was accepted");
        Console.WriteLine($"[demo] note: the minimum of accepted photos is lowered from 5 to {MinPhotos} for this demo, because the repository ships {MinPhotos} portraits of one person.");

        var start = await http.PostAsync($"/api/personas/{id}/dataset", null);
        var started = await start.Content.ReadFromJsonAsync<JsonObject>();
        if (start.StatusCode != HttpStatusCode.Accepted) return Fail($"starting dataset preparation: {(int)start.StatusCode} {started}");
        Console.WriteLine($"[demo] POST /api/personas/{id}/dataset -> 202, instance {started!["id"]}");
        var status = started["statusQueryGetUri"]!.GetValue<string>();
        string? lastStep = null;
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            var response = await http.GetAsync(status);
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            var step = body["customStatus"]?["step"]?.GetValue<string>();
            if (step is not null && step != lastStep)
            {
                Console.WriteLine($"[demo] {clock.Elapsed.TotalSeconds,5:0.0}s  {body["runtimeStatus"]}  {step} ({body["customStatus"]!["done"]}/{body["customStatus"]!["total"]} photos)");
                lastStep = step;
            }
            if (response.StatusCode == HttpStatusCode.OK)
            {
                if (body["runtimeStatus"]!.GetValue<string>() != "Completed") return Fail($"dataset preparation {body["runtimeStatus"]}: {body["failureDetails"]}");
                break;
            }
            await Task.Delay(100);
        }

        var prepared = (await http.GetFromJsonAsync<JsonObject>($"/api/personas/{id}"))!;
        var dataset = prepared["dataset"];
        if (dataset is null) return Fail("the persona has no dataset");
        var dataDir = Path.GetFullPath(Environment.GetEnvironmentVariable("PERSONAS_DATA_DIR") ?? ".personas");
        Console.WriteLine($"[demo] persona {id} is {prepared["status"]}: {dataset["images"]} framed 1024×1024 images, captioned around '{trigger}'");
        var blobs = Path.Combine(dataDir, "blobs");
        string Local(string url) => Path.Combine(blobs, Uri.UnescapeDataString(new Uri(url).AbsolutePath["/api/blobs/".Length..]));
        Console.WriteLine($"[demo]   fal.ai zip:      {Local(dataset["falZipUrl"]!.GetValue<string>())}");
        Console.WriteLine($"[demo]   Replicate zip:   {Local(dataset["replicateZipUrl"]!.GetValue<string>())}");
        Console.WriteLine($"[demo]   Kohya layout:    {Path.Combine(blobs, dataset["kohyaFolder"]!.GetValue<string>())} (img/, dataset.toml)");
        var link = new Uri(dataset["falZipUrl"]!.GetValue<string>()).PathAndQuery;
        Console.WriteLine($"[demo] signed download link for a trainer (valid 6 h; the signature covers path and expiry, so it works on ./personas serve too):");
        Console.WriteLine($"[demo]   http://localhost:7071{link}");

        if (!await TrainAsync(http, clock, id, blobs)) return false;
        if (!await GenerateAsync(http, clock, id, blobs)) return false;
        if (!await BatchDemo.DriveAsync(http, clock, id, dataDir)) return false;
        if (!await PostsDemo.DriveAsync(http, clock, id, PostsDemo.SampleTranscript(), dataDir)) return false;
        if (!await ChatDemo.DriveAsync(http, id)) return false;
        Console.WriteLine($"[demo] Completed in {clock.Elapsed.TotalSeconds:0.0}s");
        return true;
    }

    /// <summary>Trains version 1 on whichever provider is configured (the labelled dry run when none is), showing progress as it comes.</summary>
    private static async Task<bool> TrainAsync(HttpClient http, Stopwatch clock, string id, string blobs)
    {
        var train = await http.PostAsJsonAsync($"/api/personas/{id}/train", new { steps = 1000 });
        if (train.StatusCode != HttpStatusCode.Accepted) return Fail($"POST /api/personas/{id}/train answered {(int)train.StatusCode}: {await train.Content.ReadAsStringAsync()}");
        Console.WriteLine($"[demo] POST /api/personas/{id}/train -> 202, instance {(await train.Content.ReadFromJsonAsync<JsonObject>())!["id"]}");
        string? last = null;
        var deadline = clock.Elapsed + TimeSpan.FromMinutes(150);
        while (clock.Elapsed < deadline)
        {
            var status = (await http.GetFromJsonAsync<JsonObject>($"/api/personas/{id}/status"))!;
            var state = status["status"]!.GetValue<string>();
            var percent = status["percent"]?.GetValue<int>() ?? 0;
            var line = $"{state,-10} [{new string('#', percent / 5),-20}] {percent,3}%  {status["step"]} {(status["provider"] is { } p ? $"on {p}" : "")}  {status["lastLog"]}";
            if (line != last) Console.WriteLine($"[demo] {clock.Elapsed.TotalSeconds,5:0.0}s  {line}");
            last = line;
            if (state == "Failed") return Fail($"training failed: {status["reason"]}");
            if (state == "Ready")
            {
                var model = status["models"]!.AsArray()[^1]!;
                Console.WriteLine($"[demo] persona {id} is Ready: version {model["version"]} trained by provider '{model["provider"]}'" +
                    (model["provider"]!.GetValue<string>() == "dryrun" ? " (DRY RUN: nothing was trained; set Personas:Fal:Key to train for real)" : ""));
                Console.WriteLine($"[demo]   LoRA weights:    {Path.Combine(blobs, model["weightsBlob"]!.GetValue<string>())}");
                if (model["validation"] is JsonObject validation)
                {
                    Console.WriteLine($"[demo]   validation:      {validation["summary"]} (images by {validation["provider"]})");
                    var kept = validation["candidates"]!.AsArray().First(c => c!["label"]!.GetValue<string>() == validation["chosenLabel"]!.GetValue<string>())!;
                    foreach (var metric in new[] { "faceDetected", "quality", "triggerEffectiveness", "faceConsistency" })
                        Console.WriteLine($"[demo]     {metric,-21} {(kept[metric]!["value"] is { } v ? v.GetValue<double>().ToString("0.00") : "unavailable"),-11} {kept[metric]!["explanation"]}");
                    Console.WriteLine($"[demo]   validation images: {Path.Combine(blobs, Path.GetDirectoryName(kept["images"]![0]!["blob"]!.GetValue<string>())!)}");
                }
                return true;
            }
            await Task.Delay(500);
        }
        return Fail("training did not finish in time");
    }

    /// <summary>Generates two pictures with the new version through POST /api/generate-with-persona and waits for them.</summary>
    private static async Task<bool> GenerateAsync(HttpClient http, Stopwatch clock, string id, string blobs)
    {
        var start = await http.PostAsJsonAsync("/api/generate-with-persona",
            new
            {
                personaId = id, prompt = "a professional headshot of the persona, soft window light",
                platform = "instagram", count = 2, seed = 7, faceSwap = true,
            });
        if (start.StatusCode != HttpStatusCode.Accepted) return Fail($"POST /api/generate-with-persona answered {(int)start.StatusCode}: {await start.Content.ReadAsStringAsync()}");
        var accepted = (await start.Content.ReadFromJsonAsync<JsonObject>())!;
        Console.WriteLine($"[demo] POST /api/generate-with-persona -> 202, generation {accepted["generationId"]}, seed {accepted["seed"]}");
        var deadline = clock.Elapsed + TimeSpan.FromMinutes(10);
        while (clock.Elapsed < deadline)
        {
            var result = await http.GetAsync(accepted["resultUri"]!.GetValue<string>());
            if (result.IsSuccessStatusCode)
            {
                var generation = (await result.Content.ReadFromJsonAsync<JsonObject>())!["generation"]!;
                Console.WriteLine($"[demo] generated {generation["images"]!.AsArray().Count} image(s) at {generation["width"]}×{generation["height"]} by '{generation["provider"]}'" +
                    (generation["label"] is { } label ? $" ({label})" : ""));
                foreach (var image in generation["images"]!.AsArray())
                {
                    Console.WriteLine($"[demo]   seed {image!["seed"],-4} {Path.Combine(blobs, image["blob"]!.GetValue<string>())}");
                    if (image["faceSwap"] is { } swap)
                        Console.WriteLine($"[demo]     face swap by '{swap["provider"]}' "
                            + $"from photo {swap["sourcePhotoId"]}: "
                            + $"{(swap["kept"]!.GetValue<bool>() ? "kept" : "discarded")}, same-person similarity "
                            + $"{swap["similarity"]?.GetValue<double>():0.00} ({swap["note"]})");
                }
                return true;
            }
            var instance = (await http.GetFromJsonAsync<JsonObject>(accepted["instance"]!["statusQueryGetUri"]!.GetValue<string>()))!;
            if (instance["runtimeStatus"]?.GetValue<string>() is "Failed" or "Terminated")
                return Fail($"generation failed: {instance["failureDetails"]?["errorMessage"] ?? instance["output"]}");
            await Task.Delay(500);
        }
        return Fail("generation did not finish in time");
    }

    internal static bool Fail(string what)
    {
        Console.WriteLine($"[demo] FAILED {what}");
        return false;
    }
}
