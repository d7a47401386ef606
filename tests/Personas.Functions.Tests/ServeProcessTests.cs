using System.Diagnostics;
using System.Net;

namespace Personas.Functions.Tests;

/// <summary>The real <c>serve</c> command, as a separate process: local mode makes, prints and reuses a dev key.</summary>
public sealed class ServeProcessTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "personas-serve-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Serve_without_keys_prints_a_dev_key_that_works_and_keeps_it_across_restarts()
    {
        var (firstKey, port) = await RunUntilKeyAsync(async (key, url) =>
        {
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/health")).StatusCode);
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/health")).StatusCode);
        });
        Assert.True(File.Exists(Path.Combine(_dataDir, "dev-api-key")));
        Assert.True(File.Exists(Path.Combine(_dataDir, "personas.db")));
        var (secondKey, _) = await RunUntilKeyAsync((_, _) => Task.CompletedTask);
        Assert.Equal(firstKey, secondKey);
        Assert.True(port > 0);
    }

    /// <summary>
    /// <c>serve</c> is killed while a (dry-run) training runs and started again on the same data: the durable runtime
    /// picks the run up where it was, and it finishes.
    /// </summary>
    [Fact]
    public async Task A_training_survives_the_host_being_killed_and_restarted()
    {
        var settings = new Dictionary<string, string> { ["Personas__Photos__MinPhotos"] = "2", ["Personas__Training__DryRunSeconds"] = "6" };
        string? persona = null;
        await RunUntilKeyAsync(async (key, url) =>
        {
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
            persona = await TrainingApiTests.PersonaWithPhotosAsync(client, "zqxrestart");
            await HttpAssertions.Json(await client.PostAsync($"/api/personas/{persona}/train", null), 202);
            await Eventually.GetAsync(async () => (await HttpAssertions.Json(await client.GetAsync($"/api/personas/{persona}/status"), 200)) is var s && s["currentStep"] is not null ? s : null,
                "training to show progress");
        }, settings); // killed here, mid-training

        await RunUntilKeyAsync(async (key, url) =>
        {
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
            var ready = await TrainingApiTests.WaitForStatusAsync(client, persona!, "Ready", "Failed");
            Assert.Equal("Ready", ready["status"]!.GetValue<string>());
            Assert.Single(ready["models"]!.AsArray());
        }, settings);
    }

    private async Task<(string Key, int Port)> RunUntilKeyAsync(Func<string, string, Task> whileRunning, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = global::Personas.TestPhotos.TestEnvironment.FreeLoopbackPort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Personas.Local.dll"), "serve", "--urls", $"http://127.0.0.1:{port}" })
            info.ArgumentList.Add(arg);
        info.Environment["PERSONAS_DATA_DIR"] = _dataDir;
        info.Environment.Remove("PERSONAS_API_KEYS");
        info.Environment["Personas__Durable__Backend"] = ApiHost.DurableBackend;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync(cts.Token)) is not null)
            {
                if (!line.TrimStart().StartsWith("X-Api-Key: ", StringComparison.Ordinal)) continue;
                var key = line.Trim()["X-Api-Key: ".Length..];
                await whileRunning(key, $"http://127.0.0.1:{port}");
                return (key, port);
            }
            throw new InvalidOperationException($"serve printed no key: {await process.StandardError.ReadToEndAsync()}");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }
}
