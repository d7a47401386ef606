using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Personas.TestEmulators;

/// <summary>
/// A real Azurite blob service (the copy ./personas installs under tools/) on a free loopback port, in memory, for one
/// test class. It runs with Azurite's API version check on: clients pin <see cref="ServiceVersion"/> instead.
/// </summary>
public class Azurite : IAsyncLifetime
{
    public const string AccountName = "devstoreaccount1";

    /// <summary>The newest Blob REST version Azurite 3.35 accepts (the SDK's default is newer).</summary>
    public const string ServiceVersion = "2025-11-05";

    // Azurite's published development key: public, and only valid against the emulator.
    private const string DevelopmentKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Names another azurite-blob to run (e.g. a newer Azurite) instead of the one under tools/.</summary>
    public const string BinaryVariable = "PERSONAS_AZURITE_BLOB";

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);
    private readonly StringBuilder _output = new();
    private Process? _process;
    private string? _workFolder;

    public int Port { get; private set; }

    public Uri BlobEndpoint => new($"{Scheme}://127.0.0.1:{Port}/{AccountName}");

    public string ConnectionString =>
        $"DefaultEndpointsProtocol={Scheme};AccountName={AccountName};AccountKey={DevelopmentKey};" +
        $"BlobEndpoint={BlobEndpoint};";

    protected virtual string Scheme => "http";

    /// <summary>
    /// Accept any REST version, for clients that cannot pin one (a program under test that builds its own client).
    /// </summary>
    public bool SkipApiVersionCheck { get; init; }

    /// <summary>Extra arguments (HTTPS, OAuth) for subclasses; called once the work folder exists.</summary>
    protected virtual IEnumerable<string> ExtraArguments(string workFolder) => [];

    public async Task InitializeAsync()
    {
        var exe = Binary();
        if (!File.Exists(exe))
            throw new InvalidOperationException(
                $"Azurite is not installed at {exe}: run ./personas test (it installs it under tools/).");
        var workFolder = _workFolder = Directory.CreateTempSubdirectory("personas-azurite-").FullName;
        Port = FreePort();
        var info = new ProcessStartInfo(exe)
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = workFolder,
        };
        foreach (var argument in new[]
        {
            "--silent", "--disableTelemetry", "--inMemoryPersistence",
            "--blobHost", "127.0.0.1", "--blobPort", $"{Port}",
        }.Concat(SkipApiVersionCheck ? ["--skipApiVersionCheck"] : []).Concat(ExtraArguments(workFolder)))
            info.ArgumentList.Add(argument);
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitForPortAsync();
    }

    /// <summary>The azurite-blob to run: <see cref="BinaryVariable"/> if set, else the one under tools/.</summary>
    public static string Binary() =>
        Environment.GetEnvironmentVariable(BinaryVariable) is { Length: > 0 } chosen
            ? chosen
            : Path.Combine(RepositoryRoot(), "tools", "node_modules", ".bin", "azurite-blob");

    /// <summary>The package version of the Azurite that <see cref="Binary"/> runs; null if unknown.</summary>
    public static Version? InstalledVersion()
    {
        var binary = new FileInfo(Binary());
        if (!binary.Exists) return null;
        // .bin/azurite-blob links to azurite/dist/src/blob/main.js; the package root is four folders up.
        var script = binary.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? binary.FullName;
        var package = Path.Combine(script, "..", "..", "..", "..", "package.json");
        if (!File.Exists(package)) return null;
        using var json = JsonDocument.Parse(File.ReadAllText(package));
        return Version.TryParse(json.RootElement.GetProperty("version").GetString(), out var v) ? v : null;
    }

    private void Remember(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private async Task WaitForPortAsync()
    {
        var deadline = DateTime.UtcNow + StartLimit;
        while (true)
        {
            if (_process!.HasExited)
                throw new InvalidOperationException($"Azurite exited with {_process.ExitCode}: {Output()}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                // Polling a port that is not listening yet; the deadline bounds it.
                await Task.Delay(50);
            }
        }
    }

    private string Output()
    {
        lock (_output) return _output.ToString();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The first parent of the test binaries that holds the ./personas script.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "personas"))) return dir.FullName;
        throw new InvalidOperationException($"No ./personas script above {AppContext.BaseDirectory}.");
    }

    public virtual async Task DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
        if (_workFolder is not null) Directory.Delete(_workFolder, recursive: true);
    }
}
