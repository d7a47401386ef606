namespace Personas.TestEmulators;

/// <summary>
/// Azurite over HTTPS with <c>--oauth basic</c>, which it needs before it accepts bearer tokens or hands out user
/// delegation keys. The certificate is made fresh for this run; clients trust it and nothing else.
/// </summary>
public sealed class AzuriteHttps : Azurite
{
    public TestCertificate Certificate { get; } = TestCertificate.ForLoopback();

    protected override string Scheme => "https";

    protected override IEnumerable<string> ExtraArguments(string workFolder)
    {
        var (certificateFile, keyFile) = Certificate.WritePemFiles(workFolder);
        return ["--oauth", "basic", "--cert", certificateFile, "--key", keyFile];
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Certificate.Dispose();
    }
}
