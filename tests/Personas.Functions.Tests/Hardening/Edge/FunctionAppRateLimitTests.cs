using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Moq;
using Personas.Api.Auth;
using Personas.Functions.Tests.FunctionApp;

namespace Personas.Functions.Tests.Hardening.Edge;

/// <summary>
/// The Function App runs the shared pipeline per invocation, each in its own service scope: the limits must count
/// across invocations all the same.
/// </summary>
public sealed class FunctionAppRateLimitTests : IAsyncLifetime
{
    private const int FailedAuthPerAddress = 3;
    private FunctionAppTestHost _host = null!;

    public async Task InitializeAsync() => _host = await FunctionAppTestHost.StartAsync(
        new Dictionary<string, string?>
        {
            ["Personas:ApiKeys"] = $"{ApiHost.AliceKey}=alice",
            ["Personas:RateLimits:WindowSeconds"] = "3600",
            ["Personas:RateLimits:FailedAuthPerAddress"] = $"{FailedAuthPerAddress}",
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<HttpContext> InvokeAsync(string apiKey) => _host.InvokeAsync(http =>
    {
        http.Request.Method = "GET";
        http.Request.Path = "/api/personas";
        http.Request.Headers[ApiKeyAuthenticationHandler.HeaderName] = apiKey;
        http.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.50");
    }, new Mock<DurableTaskClient>("binding").Object);

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
