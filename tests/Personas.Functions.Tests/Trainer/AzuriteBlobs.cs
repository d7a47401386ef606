using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using Personas.TestPhotos;

namespace Personas.Functions.Tests.Trainer;

/// <summary>
/// Azurite's blob service (tools/node_modules, as ./personas installs it) on a free loopback port, in memory, with
/// one container for a training job's artifacts. Given a certificate, it serves https and accepts OAuth tokens
/// (<c>--oauth basic</c>), as user-delegation SAS needs.
/// </summary>
public sealed class AzuriteBlobs : IAsyncDisposable
{
    private const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private Process _process = null!;

    public BlobContainerClient Artifacts { get; private set; } = null!;
    /// <summary>With https: an HTTP client that trusts Azurite's certificate (and no other).</summary>
    private HttpClient? _https;
    private HttpClientTransport? Transport { get; set; }

    public BlobClientOptions ClientOptions() => new() { Transport = Transport ?? BlobClientOptions.Default.Transport };

    private HttpClientTransport TrustOnly(X509Certificate2 certificate)
    {
        _https = new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
        });
        return new HttpClientTransport(_https);
    }

    /// <param name="tls">A PEM certificate and key for https; <see cref="Transport"/> then trusts that one only.</param>
    public static async Task<AzuriteBlobs> StartAsync((string CertFile, string KeyFile)? tls = null)
    {
        var exe = RepoFiles.Path("tools", "node_modules", ".bin", "azurite-blob");
        if (!File.Exists(exe)) throw new InvalidOperationException($"Azurite is not installed at {exe}: run ./personas test.");
        var port = TestEnvironment.FreeLoopbackPort();
        var start = new ProcessStartInfo(exe)
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var arg in new[] { "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
            "--inMemoryPersistence", "--blobHost", "127.0.0.1", "--blobPort", $"{port}" }) start.ArgumentList.Add(arg);
        if (tls is { } pem)
            foreach (var arg in new[] { "--cert", pem.CertFile, "--key", pem.KeyFile, "--oauth", "basic" }) start.ArgumentList.Add(arg);
        var azurite = new AzuriteBlobs { _process = Process.Start(start)! };
        azurite._process.OutputDataReceived += (_, _) => { };
        azurite._process.ErrorDataReceived += (_, _) => { };
        azurite._process.BeginOutputReadLine();
        azurite._process.BeginErrorReadLine();
        await Eventually.GetAsync(async () =>
        {
            if (azurite._process.HasExited)
                throw new InvalidOperationException($"Azurite exited with {azurite._process.ExitCode}.");
            using var probe = new TcpClient();
            try { await probe.ConnectAsync("127.0.0.1", port); return "listening"; }
            catch (SocketException) { return null; }
        }, "Azurite to listen", seconds: 30);
        var scheme = tls is null ? "http" : "https";
        if (tls is { } trusted) azurite.Transport = azurite.TrustOnly(X509Certificate2.CreateFromPem(File.ReadAllText(trusted.CertFile)));
        var options = new BlobClientOptions { Transport = azurite.Transport ?? BlobClientOptions.Default.Transport };
        var service = new BlobServiceClient(
            $"DefaultEndpointsProtocol={scheme};AccountName=devstoreaccount1;AccountKey={AccountKey};" +
            $"BlobEndpoint={scheme}://127.0.0.1:{port}/devstoreaccount1;", options);
        azurite.Artifacts = service.GetBlobContainerClient("training-artifacts");
        await azurite.Artifacts.CreateIfNotExistsAsync();
        return azurite;
    }

    /// <summary>What an operator hands the job: the container's URL with a SAS that may create, write and read.</summary>
    public Uri ContainerSasUrl() => Artifacts.GenerateSasUri(
        BlobContainerSasPermissions.Create | BlobContainerSasPermissions.Write | BlobContainerSasPermissions.Read,
        DateTimeOffset.UtcNow.AddHours(1));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _https?.Dispose();
    }
}
