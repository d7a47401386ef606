using Personas.Domain.Blobs;

namespace Personas.Azure.Tests.Blobs;

/// <summary>The embedded store against the same contract, so both providers are held to one behaviour.</summary>
public sealed class FileSystemBlobStoreContractTests : BlobStoreContract, IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("personas-blobs-");

    public FileSystemBlobStoreContractTests() => Store = new FileSystemBlobStore(_root.FullName);

    protected override IBlobStore Store { get; }

    public void Dispose() => _root.Delete(recursive: true);
}
