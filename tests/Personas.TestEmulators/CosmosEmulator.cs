using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Azure.Cosmos;
using Personas.Azure.Cosmos;

namespace Personas.TestEmulators;

/// <summary>
/// A cosmosdb-server (npm @vercel/cosmosdb-server, through tests/tools/cosmos-launch.js --fix) on a free loopback
/// port for the lifetime of a test collection, and one CosmosClient for it built the way the host builds its own.
/// </summary>
public sealed class CosmosEmulator : IAsyncLifetime
{
    public const string Collection = "cosmos emulator";

    // The server ignores authentication; the SDK still wants a base64 key.
    private const string AnyKey =
        "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";
    private static readonly TimeSpan StartupDeadline = TimeSpan.FromSeconds(30);

    private Process? _server;
    private CosmosClient? _client;

    public CosmosSettings Settings { get; private set; } = new();

    public CosmosClient Client => _client ?? throw new InvalidOperationException("The emulator has not started.");

    /// <summary>Settings for a database of its own, so a test class cannot see another's documents.</summary>
    public CosmosSettings SettingsFor(string database) => new()
    {
        Endpoint = Settings.Endpoint, Key = Settings.Key, TrustEmulatorCertificate = true, Database = database,
    };

    public async Task InitializeAsync()
    {
        // The SDK reads this when the first client computes a query plan: without it cross-partition queries fail.
        Environment.SetEnvironmentVariable("AZURE_COSMOS_USE_QUERY_PLAN_INTEROP_LINUX", "true");
        var root = FindRepositoryRoot();
        var launcher = Path.Combine(root, "tests", "tools", "cosmos-launch.js");
        var modules = Path.Combine(root, "tools", "node_modules");
        if (!Directory.Exists(Path.Combine(modules, "@vercel", "cosmosdb-server")))
            throw new InvalidOperationException(
                $"@vercel/cosmosdb-server is not installed under {modules}: run ./personas (it installs npm tools).");

        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { launcher, "--port", port.ToString(), "--keep-alive", "--fix" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["NODE_PATH"] = modules;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Text.StringBuilder();
        try
        {
            _server = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("node is not on PATH; the Cosmos tests need Node.js 20 or later.", e);
        }
        _server.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("Ready on", StringComparison.Ordinal) == true) ready.TrySetResult();
        };
        _server.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        _server.EnableRaisingEvents = true;
        _server.Exited += (_, _) => ready.TrySetException(new InvalidOperationException(
            $"cosmos-launch.js exited with {_server.ExitCode} before it was ready: {errors}"));
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(StartupDeadline);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"cosmos-launch.js was not ready within {StartupDeadline}: {errors}");
        }

        Settings = new CosmosSettings
        {
            Endpoint = $"https://127.0.0.1:{port}/", Key = AnyKey, TrustEmulatorCertificate = true,
        };
        _client = CosmosCatalogClient.Create(Settings);
    }

    public Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            _server.WaitForExit();
        }
        _server?.Dispose();
        return Task.CompletedTask;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "tests", "tools", "cosmos-launch.js"))) return dir.FullName;
        throw new InvalidOperationException(
            $"tests/tools/cosmos-launch.js not found above {AppContext.BaseDirectory}: run the tests in the repo.");
    }
}
