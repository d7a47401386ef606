namespace Personas.Durable.Tests.Infrastructure;

/// <summary>A directory under /tmp for one test's files, deleted afterwards.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("personas-durable-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { } // a killed worker may still hold a file for a moment; /tmp is cleaned anyway
    }
}
