using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Personas.TestEmulators;

namespace Personas.Functions.Tests;

/// <summary>A quiet Kestrel server on a free 127.0.0.1 port, for the provider fakes: they map their routes, then it starts.</summary>
internal static class LoopbackServer
{
    public static async Task<WebApplication> StartAsync(Action<WebApplication> mapRoutes)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        mapRoutes(app);
        await app.StartAsync();
        return app;
    }

    /// <summary>The same over https with a fresh self-signed certificate for 127.0.0.1, for clients that insist on TLS.
    /// </summary>
    public static async Task<(WebApplication App, TestCertificate Certificate)> StartHttpsAsync(
        Action<WebApplication> mapRoutes)
    {
        var certificate = TestCertificate.ForLoopback();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k =>
            k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate.ServerCertificate)));
        var app = builder.Build();
        mapRoutes(app);
        await app.StartAsync();
        return (app, certificate);
    }
}
