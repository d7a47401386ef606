namespace Personas.Functions.Tests;

/// <summary>Files in the repository checkout, so tests check the committed files themselves.</summary>
internal static class RepoFiles
{
    public static string Path(params string[] parts) => System.IO.Path.Combine([TestPhotos.TestEnvironment.RepositoryRoot, .. parts]);
}
