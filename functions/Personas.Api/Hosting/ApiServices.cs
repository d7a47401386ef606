using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Personas.Api.Auth;
using Personas.Api.Blobs;
using Personas.Api.Generations;
using Personas.Api.Instances;
using Personas.Api.OpenApi;
using Personas.Api.Photos;
using Personas.Api.Posts;
using Personas.Api.Problems;
using Personas.Api.Training;
using Personas.Domain.Datasets;
using Personas.Domain.Personas;
using Personas.Imaging.Faces;
using Personas.Imaging.Preparation;
using Personas.Providers.Llm;

namespace Personas.Api.Hosting;

/// <summary>
/// The application services behind the API, registered the same way by the local host and the Function App. What
/// differs between them (the durable engine and its client, Kestrel) is registered by each host.
/// </summary>
public static class ApiServices
{
    /// <summary>The photo gates (<see cref="PhotoGates"/>) bind from here: Personas:Photos:MinPhotos and so on.
    /// </summary>
    public const string PhotoGatesSection = "Personas:Photos";

    public static PersonasSettings AddPersonasApi(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(PersonasSettings.Section).Get<PersonasSettings>()
            ?? new PersonasSettings();
        services.Configure<PersonasSettings>(configuration.GetSection(PersonasSettings.Section));
        services.AddSingleton(CreateKeyRing(settings, out var devKey));
        if (devKey is not null) services.AddSingleton(devKey);

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(
                ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().SetFallbackPolicy(
            new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build());
        services.AddProblemDetails();
        services.AddExceptionHandler<ExceptionProblems>();
        services.AddRouting();
        services.AddPersonasRateLimits(configuration);
        // No "Server: Kestrel" in answers, in whichever host's Kestrel serves them.
        services.Configure<KestrelServerOptions>(o => o.AddServerHeader = false);
        services.TryAddSingleton(TimeProvider.System);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        services.AddOpenApi(o =>
        {
            o.OpenApiVersion = Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_1;
            o.AddDocumentTransformer<DocumentTransformer>();
            o.AddOperationTransformer<OperationTransformer>();
            o.AddSchemaTransformer<SchemaTransformer>();
        });
        services.AddPersonasTelemetry(configuration);

        services.AddSingleton<InstanceHistory>();
        services.AddSingleton(configuration.GetSection(PhotoGatesSection).Get<PhotoGates>() ?? new PhotoGates());
        services.AddSingleton(sp => new PhotoInspector(sp.GetRequiredService<PhotoGates>(), FaceDetector.FrontalFace));
        services.AddPersonasStores(configuration, settings);
        // First, so the catalog exists before the durable worker (also a hosted service) runs an activity.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, CatalogInitializer>());
        services.AddSingleton<UploadNotes>();
        services.AddPersonaFaces(configuration);
        services.AddSingleton<PhotoIntake>();
        var llm = configuration.GetSection(LlmOptions.Section).Get<LlmOptions>() ?? new LlmOptions();
        services.AddSingleton<ICaptioner>(llm.Configured ? new VisionCaptioner(llm) : new TemplateCaptioner());
        services.AddSingleton(sp =>
            new PhotoDownloader(PhotoDownloader.CreateHandler(), sp.GetRequiredService<PhotoGates>()));
        services.AddSingleton(sp => new BlobUrlSigner(SigningKey(settings), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(new AuditFingerprint(SigningKey(settings)));
        services.AddTraining(configuration, settings);
        services.AddGeneration(configuration);
        services.AddPosts(configuration, settings, llm);
        services.AddAnalytics(configuration);
        services.AddChat(llm);
        return settings;
    }

    /// <summary>
    /// The signing key for download links: the setting, or locally a random one kept in the data directory.
    /// </summary>
    internal static byte[] SigningKey(PersonasSettings settings)
    {
        if (!string.IsNullOrEmpty(settings.BlobSigningKey))
        {
            if (settings.BlobSigningKey.Length < 32)
                throw new InvalidOperationException("Personas:BlobSigningKey must be at least 32 characters.");
            return System.Text.Encoding.UTF8.GetBytes(settings.BlobSigningKey);
        }
        if (PersonasSettings.RunningInAzure)
            throw new InvalidOperationException(
                "Personas:BlobSigningKey must be set when running in Azure, so every instance signs links alike.");
        var local = LocalSecret.LoadOrCreate(settings.DataDir, "blob-signing-key", "", 32);
        return System.Text.Encoding.UTF8.GetBytes(local.Value);
    }

    private static ApiKeyRing CreateKeyRing(PersonasSettings settings, out DevKeyNotice? devKey)
    {
        devKey = null;
        var ring = ApiKeyRing.Parse(settings.ApiKeys);
        if (ring.Count > 0) return ring;
        if (PersonasSettings.RunningInAzure)
            throw new InvalidOperationException(
                "Personas:ApiKeys (PERSONAS_API_KEYS) must be set when running in Azure; no dev key is made there.");
        var (devRing, key, path, created) = ApiKeyRing.LoadOrCreateDevKey(settings.DataDir);
        devKey = new DevKeyNotice(key, path, created);
        return devRing;
    }
}

/// <summary>The local dev key, for <c>serve</c> to print once the host is listening.</summary>
public sealed record DevKeyNotice(string Key, string Path, bool Created);
