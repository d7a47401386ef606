using Personas.Local;
using System.Diagnostics;
using System.Security.Cryptography;
using Personas.Api.Auth;
using Personas.Api.Hosting;

namespace Personas.Local.Demo;

/// <summary>
/// <c>./personas demo [runtime] [--photos DIR]</c>: starts the host on a free loopback port, on embedded defaults, and
/// drives a flow through the public HTTP API with a key of its own. The default flow is the persona flow.
/// </summary>
public static class DemoHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var flow = args.FirstOrDefault(a => !a.StartsWith('-')) ?? "persona";
        var photos = args.SkipWhile(a => a != "--photos").Skip(1).FirstOrDefault();
        var clock = Stopwatch.StartNew();
        var demoKey = "demo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var configuredKeys = Environment.GetEnvironmentVariable("PERSONAS_API_KEYS");
        var overrides = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            [$"{PersonasSettings.Section}:ApiKeys"] = string.Join(';', new[] { configuredKeys, $"{demoKey}=demo" }.Where(k => !string.IsNullOrEmpty(k))),
        };
        if (flow == "persona")
            overrides[$"{ApiServices.PhotoGatesSection}:MinPhotos"] = PersonaDemo.MinPhotos.ToString();
        var app = LocalHost.Build([], overrides);
        await app.StartAsync();
        try
        {
            var baseUrl = app.Urls.First();
            Console.WriteLine($"[demo] host listening on {baseUrl}; data in {Path.GetFullPath(app.Configuration["Personas:DataDir"] ?? ".personas")}");
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(120) };
            http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, demoKey);
            var ok = flow switch
            {
                "runtime" => await RuntimeDemo.DriveAsync(http, clock),
                "persona" => await PersonaDemo.DriveAsync(http, clock, photos ?? PersonaDemo.SamplePhotos()),
                _ => throw new ArgumentException($"Unknown demo '{flow}'. Use 'persona' (the default) or 'runtime'."),
            };
            return ok ? 0 : 1;
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
