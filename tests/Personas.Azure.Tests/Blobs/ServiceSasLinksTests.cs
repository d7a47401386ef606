using System.Web;
using Azure.Storage.Blobs;
using Personas.Azure.Blobs;
using Personas.TestEmulators;

namespace Personas.Azure.Tests.Blobs;

/// <summary>Service SAS, signed with the account key of a connection string, against Azurite over HTTP.</summary>
public sealed class ServiceSasLinksTests : SasLinkContract, IClassFixture<Azurite>, IDisposable
{
    private readonly BlobServiceClient _service;
    private readonly string _container = Clients.NewContainerName();

    public ServiceSasLinksTests(Azurite azurite)
    {
        _service = Clients.ServiceClient(azurite);
        Store = new AzureBlobStore(_service.GetBlobContainerClient(_container));
    }

    protected override AzureBlobStore Store { get; }

    protected override HttpClient Http { get; } = new();

    protected override BlobSasLinks Links(TimeProvider clock) => new(_service, _container, false, clock);

    [Fact]
    public Task A_link_reads_its_blob_with_no_other_credential() => A_link_reads_its_blob_with_no_other_credentialCore();

    [Fact]
    public Task A_link_cannot_write_or_delete() => A_link_cannot_write_or_deleteCore();

    [Fact]
    public Task An_expired_link_is_refused() => An_expired_link_is_refusedCore();

    [Fact]
    public Task A_link_does_not_open_another_blob() => A_link_does_not_open_another_blobCore();

    [Fact]
    public void The_link_is_a_service_sas_without_a_delegation_key()
    {
        var link = Links(TimeProvider.System).Blob("a/b.zip", TimeSpan.FromMinutes(1));

        Assert.Null(HttpUtility.ParseQueryString(link.Query)["skoid"]);
        Assert.NotNull(HttpUtility.ParseQueryString(link.Query)["sig"]);
    }

    [Fact]
    public void A_client_without_a_key_or_a_token_is_refused_up_front()
    {
        var anonymous = new BlobServiceClient(new Uri("http://127.0.0.1:9/devstoreaccount1"));

        var error = Assert.Throws<InvalidOperationException>(
            () => new BlobSasLinks(anonymous, "personas", false, TimeProvider.System));
        Assert.Contains("account key", error.Message);
    }

    public void Dispose() => Http.Dispose();
}
