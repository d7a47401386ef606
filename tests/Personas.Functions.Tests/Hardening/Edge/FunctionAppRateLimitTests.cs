using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moq;
using Personas.Api.Auth;
using Personas.Functions.Hosting;

namespace Personas.Functions.Tests.Hardening.Edge;

/// <summary>
/// The Function App runs the shared pipeline per invocation, each in its own service scope: the limits must count
/// across invocations all the same.
/// </summary>
public sealed class FunctionAppRateLimitTests : IAsyncLifetime
{
    private const int FailedAuthPerAddress = 3;
    private readonly string _dataDir =
        Path.Combine(Path.GetTempPath(), "personas-fn-tests", Guid.NewGuid().ToString("N"));
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Personas:DataDir"] = _dataDir,
            ["Personas:ApiKeys"] = $"{ApiHost.AliceKey}=alice",
            ["Personas:RateLimits:WindowSeconds"] = "3600",
            ["Personas:RateLimits:FailedAuthPerAddress"] = $"{FailedAuthPerAddress}",
        });
        builder.Services.AddPersonasFunctionApp(builder.Configuration);
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }

    /// <summary>One invocation: a fresh scope and context, as the Functions host gives each.</summary>
    private async Task<HttpContext> InvokeAsync(string apiKey)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Method = "GET";
        http.Request.Path = "/api/personas";
        http.Request.Headers[ApiKeyAuthenticationHandler.HeaderName] = apiKey;
        http.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.50");
        http.Response.Body = new MemoryStream();
        var function = new Mock<FunctionContext>();
        function.Setup(f => f.InstanceServices).Returns(scope.ServiceProvider);
        await _host.Services.GetRequiredService<ApiDispatcher>()
            .RunAsync(http.Request, new Mock<DurableTaskClient>("binding").Object, function.Object);
        return http;
    }

    [Fact]
    public async Task Bad_keys_are_counted_across_invocations()
    {
        var statuses = new List<int>();
        for (var i = 0; i < 10; i++) statuses.Add((await InvokeAsync($"guess-{i}-0123456789")).Response.StatusCode);
        Assert.Equal(Enumerable.Repeat(401, FailedAuthPerAddress), statuses.Take(FailedAuthPerAddress));
        Assert.All(statuses.Skip(FailedAuthPerAddress), s => Assert.Equal(429, s));

        var last = await InvokeAsync("guess-last-0123456789");
        Assert.StartsWith("application/problem+json", last.Response.ContentType);
        Assert.True(int.Parse(last.Response.Headers.RetryAfter!) >= 1);
        Assert.Equal(200, (await InvokeAsync(ApiHost.AliceKey)).Response.StatusCode);
    }
}
