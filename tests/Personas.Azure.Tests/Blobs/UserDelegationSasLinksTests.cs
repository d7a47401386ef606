using System.Web;
using Azure.Storage.Blobs;
using Personas.Azure.Blobs;
using Personas.Domain.Blobs;
using Personas.TestEmulators;

namespace Personas.Azure.Tests.Blobs;

/// <summary>
/// User-delegation SAS: the store and the key request authenticate with a bearer token (no account key anywhere),
/// against Azurite over HTTPS with --oauth basic; every client trusts only the emulator's test certificate.
/// </summary>
public sealed class UserDelegationSasLinksTests : SasLinkContract, IClassFixture<AzuriteHttps>, IDisposable
{
    private readonly AzuriteHttps _azurite;
    private readonly BlobServiceClient _service;
    private readonly string _container = Clients.NewContainerName();
    private readonly UnsignedTokenCredential _credential = new(TimeProvider.System);

    public UserDelegationSasLinksTests(AzuriteHttps azurite)
    {
        _azurite = azurite;
        _service = Clients.TokenClient(azurite, _credential);
        Store = new AzureBlobStore(_service.GetBlobContainerClient(_container));
        Http = new HttpClient(azurite.Certificate.TrustingHandler());
    }

    protected override AzureBlobStore Store { get; }

    protected override HttpClient Http { get; }

    protected override BlobSasLinks Links(TimeProvider clock) => new(_service, _container, true, clock);

    [UserDelegationFact]
    public Task A_link_reads_its_blob_with_no_other_credential() => A_link_reads_its_blob_with_no_other_credentialCore();

    [UserDelegationFact]
    public Task A_link_cannot_write_or_delete() => A_link_cannot_write_or_deleteCore();

    [UserDelegationFact]
    public Task An_expired_link_is_refused() => An_expired_link_is_refusedCore();

    [UserDelegationFact]
    public Task A_link_does_not_open_another_blob() => A_link_does_not_open_another_blobCore();

    [Fact]
    public async Task The_store_works_with_a_bearer_token_alone()
    {
        await Store.PutAsync("token/only.bin", new MemoryStream([4, 2]));

        Assert.Equal([4, 2], await Store.ReadAllBytesAsync("token/only.bin"));
        Assert.True(_credential.Requests > 0);
    }

    [Fact]
    public void The_delegation_key_is_reused_until_a_link_would_outlive_it()
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        var links = Links(clock);

        var first = KeyStart(links.Blob("k/a.zip", TimeSpan.FromHours(1)));
        clock.Now += TimeSpan.FromHours(3);
        var second = KeyStart(links.Blob("k/b.zip", TimeSpan.FromHours(1)));
        clock.Now += BlobSasLinks.DelegationKeyLifetime;
        var third = KeyStart(links.Blob("k/c.zip", TimeSpan.FromHours(1)));

        Assert.Equal(first, second);
        Assert.NotEqual(first, third);
    }

    [Fact]
    public void The_link_starts_before_now_to_allow_for_clock_skew()
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);

        var link = Links(clock).Blob("k/skew.zip", TimeSpan.FromMinutes(5));

        var query = HttpUtility.ParseQueryString(link.Query);
        Assert.NotNull(query["skoid"]);
        Assert.Equal(clock.Now - BlobSasLinks.ClockSkew, DateTimeOffset.Parse(query["st"]!), TimeSpan.FromSeconds(1));
        Assert.Equal("https", query["spr"]);
    }

    [Fact]
    public async Task A_client_that_trusts_the_system_roots_only_refuses_the_emulator()
    {
        using var untrusting = new HttpClient();

        await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync(_azurite.BlobEndpoint));
    }

    private static string? KeyStart(Uri link) => HttpUtility.ParseQueryString(link.Query)["skt"];

    public void Dispose() => Http.Dispose();
}
