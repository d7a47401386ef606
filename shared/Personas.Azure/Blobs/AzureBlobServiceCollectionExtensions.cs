using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Personas.Domain.Blobs;

namespace Personas.Azure.Blobs;

public static class AzureBlobServiceCollectionExtensions
{
    /// <summary>
    /// With <c>Provider=azure</c>: registers <see cref="AzureBlobStore"/> as <see cref="IBlobStore"/> (replacing any
    /// earlier registration) and <see cref="BlobSasLinks"/>. With <c>filesystem</c> it registers nothing, so the
    /// host's embedded store stays. Invalid settings throw here, at start-up, with every problem listed.
    /// </summary>
    /// <param name="credential">Used with ServiceUri; null means a managed identity (ManagedIdentityClientId, or the
    /// system-assigned one).</param>
    public static IServiceCollection AddPersonasAzureBlobs(
        this IServiceCollection services, AzureBlobSettings settings, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (!settings.UsesAzure) return services;

        var usesToken = !string.IsNullOrWhiteSpace(settings.ServiceUri);
        // Kept out of the container: a host may register its own BlobServiceClient for other storage.
        var client = CreateServiceClient(settings, credential);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new AzureBlobStore(client.GetBlobContainerClient(settings.Container)));
        services.Replace(ServiceDescriptor.Singleton<IBlobStore>(sp => sp.GetRequiredService<AzureBlobStore>()));
        services.AddSingleton(sp =>
            new BlobSasLinks(client, settings.Container, usesToken, sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>The service client that the settings describe (they must be valid and name Azure).</summary>
    public static BlobServiceClient CreateServiceClient(AzureBlobSettings settings, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (!settings.UsesAzure)
            throw new InvalidOperationException($"{AzureBlobSettings.SectionName}:Provider is not 'azure'.");
        var options = settings.ClientOptions();
        if (!string.IsNullOrWhiteSpace(settings.ConnectionString))
            return new BlobServiceClient(settings.ConnectionString, options);
        return new BlobServiceClient(new Uri(settings.ServiceUri!), credential ?? ManagedIdentity(settings), options);
    }

    private static ManagedIdentityCredential ManagedIdentity(AzureBlobSettings settings) =>
        new(string.IsNullOrWhiteSpace(settings.ManagedIdentityClientId)
            ? ManagedIdentityId.SystemAssigned
            : ManagedIdentityId.FromUserAssignedClientId(settings.ManagedIdentityClientId));
}
