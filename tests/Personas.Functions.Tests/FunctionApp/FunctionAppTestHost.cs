using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moq;
using Personas.Functions.Hosting;

namespace Personas.Functions.Tests.FunctionApp;

/// <summary>
/// The Function App's HTTP path without the Functions host (which cannot run here): its own service registration and
/// dispatcher, with its own data directory, fed requests the way an HTTP trigger receives them.
/// </summary>
public sealed class FunctionAppTestHost : IAsyncDisposable
{
    private readonly string _dataDir =
        Path.Combine(Path.GetTempPath(), "personas-fn-tests", Guid.NewGuid().ToString("N"));
    private IHost _host = null!;

    public IServiceProvider Services => _host.Services;

    /// <summary>Starts the Function App's services with these settings on top of a data directory of its own.</summary>
    public static async Task<FunctionAppTestHost> StartAsync(IDictionary<string, string?> settings)
    {
        var test = new FunctionAppTestHost();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(
            settings.Append(new("Personas:DataDir", test._dataDir)));
        builder.Services.AddPersonasFunctionApp(builder.Configuration);
        test._host = builder.Build();
        await test._host.StartAsync();
        return test;
    }

    /// <summary>One invocation: a fresh scope and context, as the Functions host gives each.</summary>
    public async Task<HttpContext> InvokeAsync(Action<HttpContext> request, DurableTaskClient durable)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Response.Body = new MemoryStream();
        request(http);
        var function = new Mock<FunctionContext>();
        function.Setup(f => f.InstanceServices).Returns(scope.ServiceProvider);
        await _host.Services.GetRequiredService<ApiDispatcher>().RunAsync(http.Request, durable, function.Object);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }
}
