using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Personas.TestPhotos;

namespace Personas.Benchmarks;

/// <summary>
/// P5 and P6: the real host (<c>Personas.Local serve</c>, a child process, MALLOC_ARENA_MAX=2 as ./personas sets it)
/// takes one upload of 20 photos of 12 MP, then prepares the dataset. Reported: intake time, intake plus packaging time,
/// and the host's peak resident memory (VmHWM) over the whole run.
/// </summary>
internal static class IntakeBench
{
    public static async Task<int> RunAsync()
    {
        var repo = TestEnvironment.RepositoryRoot;
        var hostDll = Path.Combine(repo, "functions", "Personas.Local", "bin", "Release", "net10.0", "Personas.Local.dll");
        var dataDir = Path.Combine(Path.GetTempPath(), "personas-bench-intake", Guid.NewGuid().ToString("N"));
        var port = TestEnvironment.FreeLoopbackPort();
        const string key = "bench-key-0123456789abcdef";
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { hostDll, "serve", "--urls", $"http://127.0.0.1:{port}" }) info.ArgumentList.Add(a);
        info.Environment["PERSONAS_DATA_DIR"] = dataDir;
        info.Environment["PERSONAS_API_KEYS"] = $"{key}=bench";
        info.Environment["MALLOC_ARENA_MAX"] = "2";
        // The 20 photos are noise variants of two portraits: exact repeats are still refused, near-duplicates are allowed here.
        info.Environment["Personas__Photos__NearDuplicateBits"] = "-1";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        using var host = Process.Start(info)!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
            await WaitForHealthAsync(http);
            var baseline = PeakRssMb(host.Id);

            var photos = Enumerable.Range(0, 20).Select(i => Samples.LargePhoto(Samples.Load(i % 2 == 0 ? "obama.jpg" : "obama2.jpg"), 12, seed: 100 + i, sideways: i % 4 == 3)).ToList();
            Console.WriteLine($"#   20 JPEGs of 12 MP, {photos.Sum(p => p.Length) / 1048576.0:0} MB in one multipart request; host at {baseline:0} MB before");
            var persona = await (await http.PostAsJsonAsync("/api/personas", new
            {
                name = "Bench", triggerWord = "zqxbench", mode = "portrait",
                consent = new { facialRecognition = true, aiTraining = true, likenessUsage = true, dataRetention = true },
            })).Content.ReadFromJsonAsync<JsonObject>();
            var id = persona!["id"]!.GetValue<string>();

            var clock = Stopwatch.StartNew();
            using var form = new MultipartFormDataContent();
            for (var i = 0; i < photos.Count; i++)
            {
                var part = new ByteArrayContent(photos[i]);
                part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
                form.Add(part, "files", $"photo{i:D2}.jpg");
            }
            var upload = await http.PostAsync($"/api/personas/{id}/photos", form);
            var intake = (await upload.Content.ReadFromJsonAsync<JsonObject>())!;
            var intakeSeconds = clock.Elapsed.TotalSeconds;
            if (upload.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"upload: {(int)upload.StatusCode} {intake}");
            Console.WriteLine($"#   intake: {intake["accepted"]} accepted, {intake["rejected"]} refused in {intakeSeconds:0.00}s; host peak so far {PeakRssMb(host.Id):0} MB");

            if (intake["accepted"]!.GetValue<int>() < 20)
                Console.WriteLine($"#   refused: {string.Join("; ", intake["photos"]!.AsArray().Where(p => !p!["accepted"]!.GetValue<bool>()).Select(p => p!["rejections"]![0]!["reason"]))}");
            var start = await http.PostAsync($"/api/personas/{id}/dataset", null);
            var started = (await start.Content.ReadFromJsonAsync<JsonObject>())!;
            if (start.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"dataset: {(int)start.StatusCode} {started}");
            while (true)
            {
                var status = await http.GetAsync(started["statusQueryGetUri"]!.GetValue<string>());
                if (status.StatusCode == HttpStatusCode.OK) break;
                await Task.Delay(20);
            }
            var totalSeconds = clock.Elapsed.TotalSeconds;
            var prepared = (await http.GetFromJsonAsync<JsonObject>($"/api/personas/{id}"))!;
            Console.WriteLine($"#   dataset: {prepared["status"]}, {prepared["dataset"]?["images"]} images packaged for fal.ai, Replicate and Kohya");
            PhotoBench.Report("intake-20x12mp-seconds", intakeSeconds, "s");
            PhotoBench.Report("intake-and-packaging-20-photos-seconds", totalSeconds, "s");
            PhotoBench.Report("host-peak-rss", PeakRssMb(host.Id), "MB");
            return 0;
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        }
    }

    private static double PeakRssMb(int pid) =>
        File.ReadAllLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024).Single();

    private static async Task WaitForHealthAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try { if ((await http.GetAsync("/api/health")).IsSuccessStatusCode) return; }
            catch (HttpRequestException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The host did not start.");
            await Task.Delay(100);
        }
    }

}
