using System.Net;
using System.Net.Sockets;

namespace Personas.TestPhotos;

/// <summary>What tests and benchmarks share besides photos: the checkout they run in and free loopback ports.</summary>
public static class TestEnvironment
{
    /// <summary>The repository root: the folder above the running assembly that holds Personas.Functions.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Personas.Functions.sln"))) return dir.FullName;
        throw new InvalidOperationException("Run the tests and benchmarks from inside the repository.");
    }
}
