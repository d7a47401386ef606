using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Personas.TestEmulators;

/// <summary>A self-signed certificate for 127.0.0.1, made in memory, and HTTP handlers that trust only it.</summary>
public sealed class TestCertificate : IDisposable
{
    private readonly X509Certificate2 _certificate;
    private readonly RSA _key;

    private TestCertificate(X509Certificate2 certificate, RSA key) => (_certificate, _key) = (certificate, key);

    public static TestCertificate ForLoopback()
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // server authentication
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
        return new TestCertificate(certificate, key);
    }

    /// <summary>The certificate with its private key, for a server of the test's own (Kestrel).</summary>
    public X509Certificate2 ServerCertificate => _certificate;

    /// <summary>Writes cert.pem and key.pem (PKCS#8) into <paramref name="folder"/> for --cert/--key.</summary>
    public (string CertificateFile, string KeyFile) WritePemFiles(string folder)
    {
        var certificateFile = Path.Combine(folder, "cert.pem");
        var keyFile = Path.Combine(folder, "key.pem");
        File.WriteAllText(certificateFile, _certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, _key.ExportPkcs8PrivateKeyPem());
        return (certificateFile, keyFile);
    }

    /// <summary>A handler that accepts this exact certificate and refuses any other, system roots included.</summary>
    public SocketsHttpHandler TrustingHandler() => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, presented, _, _) =>
                presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(_certificate.RawData),
        },
    };

    public void Dispose()
    {
        _certificate.Dispose();
        _key.Dispose();
    }
}
