using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Personas.Orchestrations.RuntimeDemo;

namespace Personas.Local.Demo;

/// <summary>
/// <c>./personas demo runtime</c>: drives the runtime showcase through the public HTTP API, as a frontend would:
/// start, watch progress, approve, read the result and the history.
/// </summary>
public static class RuntimeDemo
{
    public static async Task<bool> DriveAsync(HttpClient http, Stopwatch clock)
    {
        var input = new RuntimeDemoInput([
            "Personas turns a few photos into a consistent persona.",
            "Training runs for up to an hour on a GPU provider.",
            "Every post waits for a human to approve it.",
            "Nothing is ever published without that approval.",
        ], ReviewTimeoutMinutes: 10);
        var start = await http.PostAsJsonAsync($"/api/orchestrators/{RuntimeDemoOrchestrator.Name}", input);
        var started = await start.Content.ReadFromJsonAsync<JsonObject>();
        if (start.StatusCode != System.Net.HttpStatusCode.Accepted || started is null)
        {
            Console.WriteLine($"[demo] start failed: {(int)start.StatusCode} {started}");
            return false;
        }
        var statusUri = started["statusQueryGetUri"]!.GetValue<string>();
        Console.WriteLine($"[demo] POST /api/orchestrators/{RuntimeDemoOrchestrator.Name} -> 202, instance {started["id"]}, Location {start.Headers.Location}, Retry-After {start.Headers.RetryAfter}");

        string? lastStep = null;
        var approved = false;
        var deadline = TimeSpan.FromSeconds(60);
        while (clock.Elapsed < deadline)
        {
            var response = await http.GetAsync(statusUri);
            var status = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            var step = status["customStatus"]?["step"]?.GetValue<string>();
            if (step != lastStep && step is not null)
            {
                Console.WriteLine($"[demo] {clock.Elapsed.TotalSeconds,5:0.0}s  {status["runtimeStatus"]}  {step}: {status["customStatus"]!["message"]}");
                lastStep = step;
            }
            if (step == "awaiting-approval" && !approved)
            {
                var raise = await http.PostAsJsonAsync(started["sendEventPostUri"]!.GetValue<string>().Replace("{eventName}", RuntimeDemoOrchestrator.ApprovalEvent), "the demo reviewer");
                Console.WriteLine($"[demo] POST raiseEvent/{RuntimeDemoOrchestrator.ApprovalEvent} -> {(int)raise.StatusCode}");
                approved = raise.IsSuccessStatusCode;
            }
            if (response.StatusCode == System.Net.HttpStatusCode.OK)
                return await ReportAsync(http, statusUri, status, clock);
            await Task.Delay(100);
        }
        Console.WriteLine($"[demo] the instance did not finish within {deadline.TotalSeconds} s");
        return false;
    }

    private static async Task<bool> ReportAsync(HttpClient http, string statusUri, JsonObject status, Stopwatch clock)
    {
        using var history = await http.GetAsync($"{statusUri}?showHistory=true");
        if (history.IsSuccessStatusCode)
        {
            var withHistory = (await history.Content.ReadFromJsonAsync<JsonObject>())!;
            var events = withHistory["historyEvents"]!.AsArray().Select(e => e!["eventType"]!.GetValue<string>())
                .GroupBy(t => t).Select(g => $"{g.Key}×{g.Count()}");
            Console.WriteLine($"[demo] history: {string.Join(", ", events)}");
        }
        else Console.WriteLine(
            $"[demo] history: not available ({(int)history.StatusCode}; the memory backend keeps none)");
        var ok = status["runtimeStatus"]!.GetValue<string>() == "Completed";
        Console.WriteLine(ok
            ? $"[demo] Completed in {clock.Elapsed.TotalSeconds:0.0}s: {status["output"]!["summary"]}"
            : $"[demo] {status["runtimeStatus"]}: {status["failureDetails"]}");
        return ok;
    }
}
