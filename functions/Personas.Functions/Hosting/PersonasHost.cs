using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Personas.Domain.Blobs;
using Personas.Domain.Datasets;
using Personas.Providers.Llm;
using Personas.Domain.Stores;
using Personas.Durable;
using Personas.Durable.Hosting;
using Personas.Functions.Personas;
using Personas.Functions.Posts;
using Personas.Functions.Photos;
using Personas.Functions.Training;
using Personas.Functions.Webhooks;
using Personas.Imaging.Faces;
using Personas.Imaging.Preparation;
using Personas.Functions.Auth;
using Personas.Functions.Blobs;
using Personas.Functions.Generations;
using Personas.Functions.Datasets;
using Personas.Functions.Health;
using Personas.Functions.Instances;
using Personas.Functions.Problems;
using Personas.Orchestrations;

namespace Personas.Functions.Hosting;

/// <summary>Builds the host the same way for <c>serve</c>, the demo, the Functions custom handler and the tests.</summary>
public static class PersonasHost
{
    public const int DefaultPort = 7071;

    /// <summary>The photo gates (<see cref="PhotoGates"/>) bind from here: Personas:Photos:MinPhotos and so on.</summary>
    public const string PhotoGatesSection = "Personas:Photos";

    /// <param name="replaceServices">Runs after every registration; tests swap a seam here (an Azure credential for a local ARM fake).</param>
    public static WebApplication Build(string[] args, IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? replaceServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddInMemoryCollection(PersonasSettings.EnvironmentAliases
            .Where(a => Environment.GetEnvironmentVariable(a.Key) is not null)
            .Select(a => KeyValuePair.Create(a.Value, Environment.GetEnvironmentVariable(a.Key))));
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        ChooseUrls(builder);
        // Nothing here uses cookies or data protection; its "no XML encryptor" warning would only confuse.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        // Per-request framework lines (auth challenges, request timing) drown what matters; raise Logging:LogLevel to see them.
        if (builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore"] is null) builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter(typeof(ApiKeyAuthenticationHandler).FullName, LogLevel.Warning);

        var settings = builder.Configuration.GetSection(PersonasSettings.Section).Get<PersonasSettings>() ?? new PersonasSettings();
        builder.Services.Configure<PersonasSettings>(builder.Configuration.GetSection(PersonasSettings.Section));
        builder.Services.AddSingleton(CreateKeyRing(settings, out var devKey));
        if (devKey is not null) builder.Services.AddSingleton(devKey);

        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build());
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ExceptionProblems>();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer<ApiKeyOpenApiTransformer>());

        var durable = builder.Configuration.GetSection(DurableSettings.Section).Get<DurableSettings>()
            ?? new DurableSettings();
        builder.Services.AddPersonasDurable(durable, settings.DataDir, r => r.AddPersonasWorkflows());
        builder.Services.AddSingleton<InstanceHistory>();
        builder.Services.AddSingleton(builder.Configuration.GetSection(PhotoGatesSection).Get<PhotoGates>() ?? new PhotoGates());
        builder.Services.AddSingleton(sp => new PhotoInspector(sp.GetRequiredService<PhotoGates>(), FaceDetector.FrontalFace));
        builder.Services.AddSingleton(_ => new SqliteCatalog(settings.DatabasePath, PersonasDataConverter.Default));
        builder.Services.AddSingleton<ICatalog>(sp => sp.GetRequiredService<SqliteCatalog>());
        builder.Services.AddSingleton<IInstanceLedger>(sp => sp.GetRequiredService<SqliteCatalog>());
        builder.Services.AddSingleton<IBlobStore>(new FileSystemBlobStore(Path.Combine(Path.GetFullPath(settings.DataDir), "blobs")));
        builder.Services.AddSingleton<PhotoIntake>();
        var llm = builder.Configuration.GetSection(LlmOptions.Section).Get<LlmOptions>() ?? new LlmOptions();
        builder.Services.AddSingleton<ICaptioner>(llm.Configured ? new VisionCaptioner(llm) : new TemplateCaptioner());
        builder.Services.AddSingleton(sp => new PhotoDownloader(PhotoDownloader.CreateHandler(), sp.GetRequiredService<PhotoGates>()));
        builder.Services.AddSingleton(sp => new BlobUrlSigner(SigningKey(settings), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddTraining(builder.Configuration, settings);
        builder.Services.AddGeneration(builder.Configuration);
        builder.Services.AddPosts(builder.Configuration, settings, llm);
        replaceServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.Services.GetRequiredService<ICatalog>().InitializeAsync().GetAwaiter().GetResult();
        if (app.Services.GetRequiredService<ApiKeyRing>().ShortKeyCount is > 0 and var shortKeys)
            app.Logger.LogWarning("{Count} of the configured API keys are shorter than {Length} characters; use long random keys outside local testing.",
                shortKeys, ApiKeyRing.RecommendedKeyLength);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi("/api/openapi.json");
        app.MapHealthEndpoints();
        app.MapInstanceEndpoints();
        app.MapPersonaEndpoints();
        app.MapPhotoEndpoints();
        app.MapDatasetEndpoints();
        app.MapTrainingEndpoints();
        app.MapGenerationEndpoints();
        app.MapPostEndpoints();
        app.MapWebhookEndpoints();
        app.MapBlobEndpoints();
        return app;
    }

    /// <summary>
    /// Port 7071 unless told otherwise: by the Functions host (FUNCTIONS_CUSTOMHANDLER_PORT), or by ASP.NET Core's
    /// own settings (ASPNETCORE_URLS, --urls, ASPNETCORE_HTTP_PORTS), which always win.
    /// </summary>
    private static void ChooseUrls(WebApplicationBuilder builder)
    {
        var configured = new[] { "urls", "http_ports", "https_ports" }.Any(k => !string.IsNullOrEmpty(builder.Configuration[k]));
        if (configured) return;
        var functionsPort = Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT");
        builder.WebHost.UseUrls(functionsPort is not null ? $"http://127.0.0.1:{functionsPort}" : $"http://localhost:{DefaultPort}");
    }

    /// <summary>The signing key for download links: the setting, or locally a random one kept in the data directory.</summary>
    internal static byte[] SigningKey(PersonasSettings settings)
    {
        if (!string.IsNullOrEmpty(settings.BlobSigningKey))
        {
            if (settings.BlobSigningKey.Length < 32) throw new InvalidOperationException("Personas:BlobSigningKey must be at least 32 characters.");
            return System.Text.Encoding.UTF8.GetBytes(settings.BlobSigningKey);
        }
        if (PersonasSettings.RunningInAzure)
            throw new InvalidOperationException("Personas:BlobSigningKey must be set when running in Azure, so every instance signs links alike.");
        return System.Text.Encoding.UTF8.GetBytes(LocalSecret.LoadOrCreate(settings.DataDir, "blob-signing-key", "", 32).Value);
    }

    private static ApiKeyRing CreateKeyRing(PersonasSettings settings, out DevKeyNotice? devKey)
    {
        devKey = null;
        var ring = ApiKeyRing.Parse(settings.ApiKeys);
        if (ring.Count > 0) return ring;
        if (PersonasSettings.RunningInAzure)
            throw new InvalidOperationException("Personas:ApiKeys (PERSONAS_API_KEYS) must be set when running in Azure; no dev key is made there.");
        var (devRing, key, path, created) = ApiKeyRing.LoadOrCreateDevKey(settings.DataDir);
        devKey = new DevKeyNotice(key, path, created);
        return devRing;
    }
}

/// <summary>The local dev key, for <c>serve</c> to print once the host is listening.</summary>
public sealed record DevKeyNotice(string Key, string Path, bool Created);
