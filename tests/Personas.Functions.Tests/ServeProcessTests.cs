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

    private async Task<(string Key, int Port)> RunUntilKeyAsync(Func<string, string, Task> whileRunning)
    {
        var port = global::Personas.TestPhotos.TestEnvironment.FreeLoopbackPort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Personas.Functions.dll"), "serve", "--urls", $"http://127.0.0.1:{port}" })
            info.ArgumentList.Add(arg);
        info.Environment["PERSONAS_DATA_DIR"] = _dataDir;
        info.Environment.Remove("PERSONAS_API_KEYS");
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
