namespace Personas.Durable.Tests.Infrastructure;

public static class RepoPaths
{
    /// <summary>The repository root: the first parent of the test binaries that holds the ./personas script.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "personas"))) return dir.FullName;
        throw new InvalidOperationException($"No ./personas script above {AppContext.BaseDirectory}.");
    }
}
