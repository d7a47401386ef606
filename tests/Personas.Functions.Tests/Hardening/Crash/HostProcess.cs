using System.Diagnostics;

namespace Personas.Functions.Tests.Hardening.Crash;

/// <summary>
/// The real <c>serve</c> command as a child process on a fixed data directory, started again on a fresh port after
/// every <see cref="Kill"/> (SIGKILL: nothing of the host's own shutdown runs).
/// </summary>
internal sealed class HostProcess(string dataDir, IReadOnlyDictionary<string, string> settings) : IAsyncDisposable
{
    private Process? _process;
    private readonly List<string> _errors = [];

    public string Url { get; private set; } = "";
    public string Key { get; private set; } = "";
    public int Starts { get; private set; }

    public async Task StartAsync()
    {
        var port = global::Personas.TestPhotos.TestEnvironment.FreeLoopbackPort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var dll = Path.Combine(AppContext.BaseDirectory, "Personas.Local.dll");
        foreach (var arg in new[] { dll, "serve", "--urls", $"http://127.0.0.1:{port}" })
            info.ArgumentList.Add(arg);
        info.Environment["PERSONAS_DATA_DIR"] = dataDir;
        info.Environment.Remove("PERSONAS_API_KEYS");
        info.Environment["Personas__Durable__Backend"] = ApiHost.DurableBackend;
        foreach (var (name, value) in settings) info.Environment[name] = value;
        var key = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info };
        // Both streams are drained for the process's whole life: a full pipe would stall the host.
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Trim() is { } line && line.StartsWith("X-Api-Key: ", StringComparison.Ordinal))
                key.TrySetResult(line["X-Api-Key: ".Length..]);
            else if (e.Data?.Contains("was delivered again while this host still runs it") == true)
                Interlocked.Increment(ref _heldBack);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (_errors) _errors.Add(line); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Starts++;
        var done = await Task.WhenAny(key.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (done != key.Task) throw new InvalidOperationException($"serve printed no key: {Errors()}");
        (Key, Url) = (key.Task.Result, $"http://127.0.0.1:{port}");
    }

    /// <summary>Deliveries the host held back because it still ran the same work (OneDeliveryInFlight).</summary>
    public int HeldBack => _heldBack;

    private int _heldBack;

    public HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(15) };
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        return client;
    }

    public async Task KillAsync()
    {
        if (_process is not { } process) return;
        _process = null;
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } // already gone
        await process.WaitForExitAsync();
        process.Dispose();
    }

    public string Errors()
    {
        lock (_errors) return string.Join(Environment.NewLine, _errors.TakeLast(40));
    }

    public ValueTask DisposeAsync() => new(KillAsync());
}
