using Personas.Local;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Personas.Api.Auth;
using Personas.Api.Hosting;
using Personas.TestPhotos;

namespace Personas.Functions.Tests;

/// <summary>The real host on a free loopback port, with its own data directory and two owners' keys. Subclasses add settings.</summary>
public class ApiHost : IAsyncLifetime
{
    public const string AliceKey = "alice-key-0123456789";
    public const string BobKey = "bob-key-0123456789ab";

    /// <summary>
    /// The durable backend every API test host runs on: PERSONAS_TEST_BACKEND, else sqlite, the product's default.
    /// The one place to switch (memory runs without the embedded store, but its timers ignore the test clock).
    /// </summary>
    public static string DurableBackend { get; } =
        Environment.GetEnvironmentVariable("PERSONAS_TEST_BACKEND") is { Length: > 0 } chosen ? chosen : "sqlite";

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "personas-api-tests", Guid.NewGuid().ToString("N"));
    public WebApplication App { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Settings on top of the defaults below; started before the host, so fakes can be running.</summary>
    protected virtual Task<IDictionary<string, string?>> ExtraSettingsAsync() => Task.FromResult<IDictionary<string, string?>>(new Dictionary<string, string?>());

    /// <summary>Swaps a seam after the host's own registrations (for example, the Azure credential for a local ARM fake).</summary>
    protected virtual void ReplaceServices(IServiceCollection services) { }

    /// <summary>A port chosen before start and announced as the public address, so providers can call this host back.</summary>
    protected static Dictionary<string, string?> PublicAddress()
    {
        var self = $"http://127.0.0.1:{TestEnvironment.FreeLoopbackPort()}";
        return new() { ["urls"] = self, ["Personas:PublicBaseUrl"] = self };
    }

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Personas:DataDir"] = DataDir,
            ["Personas:Durable:Backend"] = DurableBackend,
            ["Personas:ApiKeys"] = $"{AliceKey}=alice;{BobKey}=bob",
            ["Personas:MaxJsonBodyBytes"] = "65536",
            ["Personas:Photos:MinPhotos"] = "2", // the repo ships two photos of one person (tests/testdata/faces)
            // Suites send many refused requests to paid routes within a minute; the paid bucket has its own tests.
            ["Personas:RateLimits:PaidPerOwner"] = "100000",
        };
        foreach (var (key, value) in await ExtraSettingsAsync()) settings[key] = value;
        App = LocalHost.Build([], settings, ReplaceServices);
        await App.StartAsync();
        BaseAddress = new Uri(App.Urls.First());
    }

    public HttpClient Client(string? apiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null) client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, apiKey);
        return client;
    }

    public virtual async Task DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
    }
}

internal static class HttpAssertions
{
    public static async Task<JsonObject> Problem(HttpResponseMessage response, int status, string? field = null)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        Assert.DoesNotContain("   at ", problem.ToJsonString()); // never a stack trace
        if (field is not null) Assert.NotNull(problem["errors"]?[field]);
        return problem;
    }

    /// <summary>The items of a paged list, up to 100 (a test's lists are short).</summary>
    public static async Task<JsonArray> Items(HttpClient client, string path, CancellationToken ct = default) =>
        (await client.GetFromJsonAsync<JsonObject>($"{path}{(path.Contains('?') ? '&' : '?')}limit=100", ct))!
            ["items"]!.AsArray();

    public static async Task<JsonObject> Json(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }
}
