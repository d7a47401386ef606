using Personas.Api.Auth;
using Personas.Api.Hosting;
using Personas.Api.Recovery;
using Personas.Durable;
using Personas.Local.Dashboard;
using Personas.Durable.Hosting;
using Personas.Orchestrations;

namespace Personas.Local;

/// <summary>
/// The local host for <c>serve</c>, the demo and the tests: the API's route table and services on Kestrel, with the
/// workflows on the embedded durable backend through the in-process sidecar.
/// </summary>
public static class LocalHost
{
    public const int DefaultPort = 7071;

    /// <param name="replaceServices">
    /// Runs after every registration; tests swap a seam here (an Azure credential for a local ARM fake).
    /// </param>
    public static WebApplication Build(string[] args, IDictionary<string, string?>? overrides = null,
        Action<IServiceCollection>? replaceServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddInMemoryCollection(PersonasSettings.EnvironmentAliases
            .Where(a => Environment.GetEnvironmentVariable(a.Key) is not null)
            .Select(a => KeyValuePair.Create(a.Value, Environment.GetEnvironmentVariable(a.Key))));
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        ChooseUrls(builder);
        // Nothing here uses cookies or data protection; its "no XML encryptor" warning would only confuse.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        // Per-request framework lines (auth challenges, request timing) drown what matters; raise Logging:LogLevel
        // to see them.
        if (builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore"] is null)
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter(typeof(ApiKeyAuthenticationHandler).FullName, LogLevel.Warning);

        var settings = builder.Services.AddPersonasApi(builder.Configuration);
        var durable = builder.Configuration.GetSection(DurableSettings.Section).Get<DurableSettings>()
            ?? new DurableSettings();
        builder.Services.AddPersonasDurable(durable, settings.DataDir, r => r.AddPersonasWorkflows());
        builder.Services.AddPersonasStartupRepair(builder.Configuration);
        replaceServices?.Invoke(builder.Services);

        var app = builder.Build();
        if (app.Services.GetRequiredService<ApiKeyRing>().ShortKeyCount is > 0 and var shortKeys)
            app.Logger.LogWarning("{Count} of the configured API keys are shorter than {Length} characters; " +
                "use long random keys outside local testing.",
                shortKeys, ApiKeyRing.RecommendedKeyLength);
        app.UsePersonasApiMiddleware();
        app.MapPersonasApi();
        app.MapDashboard();
        return app;
    }

    /// <summary>
    /// Port 7071 unless ASP.NET Core's own settings (ASPNETCORE_URLS, --urls, ASPNETCORE_HTTP_PORTS) say otherwise.
    /// </summary>
    private static void ChooseUrls(WebApplicationBuilder builder)
    {
        var configured = new[] { "urls", "http_ports", "https_ports" }
            .Any(k => !string.IsNullOrEmpty(builder.Configuration[k]));
        if (!configured) builder.WebHost.UseUrls($"http://localhost:{DefaultPort}");
    }
}
