using System.Diagnostics;
using Azure.Core.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry;
using Personas.Api.Hosting;
using Personas.Api.Recovery;
using Personas.Azure.Blobs;
using Personas.Durable;

namespace Personas.Functions.Hosting;

/// <summary>
/// The Function App's services: the API's own, the invocation's Durable client, the repairs, and the dispatcher.
/// </summary>
public static class FunctionAppServices
{
    public static IServiceCollection AddPersonasFunctionApp(this IServiceCollection services,
        IConfiguration configuration)
    {
        // Workflow inputs and outputs in the same JSON as the local backends (camelCase), so histories read alike.
        services.Configure<WorkerOptions>(o =>
            o.Serializer = new JsonObjectSerializer(PersonasDataConverter.DefaultOptions));
        RefuseInstanceLocalStores(configuration);
        services.AddPersonasApi(configuration);
        // Function invocations as spans, parented to the host's request, beside the API's own instrumentation.
        services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        services.AddFunctionsDurableClient();
        services.AddPersonasRepairs(configuration); // run by Timers/RepairTimer
        services.AddSingleton<ApiDispatcher>();
        // The API's exception middleware asks for ASP.NET Core's listener; the Functions web host registers one, a
        // plain host (tests) does not.
        services.TryAddSingleton(new DiagnosticListener("Microsoft.AspNetCore"));
        return services;
    }

    /// <summary>
    /// A Function App's instances come and go and share no disk: a SQLite catalog or filesystem blobs there would lose
    /// data and differ per instance, so the app refuses to start with them in Azure.
    /// </summary>
    private static void RefuseInstanceLocalStores(IConfiguration configuration)
    {
        if (Environment.GetEnvironmentVariable("WEBSITE_INSTANCE_ID") is null) return;
        var catalog = StoreServices.CatalogProviderKey;
        if (!string.Equals(configuration[catalog], "cosmos", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"In Azure the Function App needs {catalog}=cosmos.");
        var blobs = $"{AzureBlobSettings.SectionName}:{nameof(AzureBlobSettings.Provider)}";
        if (!string.Equals(configuration[blobs], AzureBlobSettings.AzureProvider, StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException(
                $"In Azure the Function App needs {blobs}={AzureBlobSettings.AzureProvider}.");
    }
}
