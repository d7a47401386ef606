using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Personas.Api.Auth;
using Personas.Local;

namespace Personas.Functions.Tests;

/// <summary>
/// A host on a data directory that outlives it, for tests that stop one host and start the next on the same state;
/// the client speaks as Alice.
/// </summary>
internal static class RestartingHost
{
    public static async Task<(WebApplication App, HttpClient Client)> StartAsync(string dataDir,
        Action<IServiceCollection> configure, IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Personas:DataDir"] = dataDir,
            ["Personas:Durable:Backend"] = ApiHost.DurableBackend,
            ["Personas:ApiKeys"] = $"{ApiHost.AliceKey}=alice",
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>()) settings[key] = value;
        var app = LocalHost.Build([], settings, configure);
        await app.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, ApiHost.AliceKey);
        return (app, client);
    }
}
