namespace Personas.Functions.Tests;

/// <summary>Finds files in the repository checkout, so tests check the committed files themselves.</summary>
internal static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Personas.Functions.sln"))) return dir.FullName;
        throw new InvalidOperationException("Run the tests from inside the repository.");
    }
}
