using System.Diagnostics;
using DurableTask.Core.History;
using Personas.Durable.TestWorker;
using Personas.Durable.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Personas.Durable.Tests.Conformance;

/// <summary>
/// A worker process (Personas.Durable.TestWorker) is killed (SIGKILL) every 2 to 3 s while 200 orchestrations run,
/// and restarted. Every orchestration must complete with the right output, appear in its history exactly once per
/// step, and every activity's side effect must land exactly once in a ledger outside the durable store.
/// </summary>
public abstract class CrashSuite(ITestOutputHelper output) : IDisposable
{
    /// <summary>
    /// The trait ./personas test runs on its own, after the other suites: the kill -9 loop has a deadline, and a machine
    /// busy with every other test project at once could miss it without any fault of the backend.
    /// </summary>
    public const string Category = "Crash";

    /// <summary>Issue 12 asks for 200; see <see cref="AzureStorageCrashSuite"/> for why Azurite runs fewer.</summary>
    protected virtual int Instances => 200;
    private static readonly TimeSpan FinalDeadline = TimeSpan.FromSeconds(180);
    private const int Kills = 6;
    private readonly TempDir _dir = new();

    protected abstract string Backend { get; }

    /// <summary>Every line any worker printed, in order, for the failure report.</summary>
    private string WorkerLog => Path.Combine(_dir.Path, "workers.log");

    protected virtual void Configure(DurableSettings settings) { }

    private DurableSettings Settings()
    {
        // A fixed worker id lets each restarted process take its partitions back at once (Azure Storage).
        var settings = new DurableSettings
        {
            Backend = Backend, TaskHub = "crash", WorkerId = "crash-worker", LeaseSeconds = 5,
            VisibilityTimeoutSeconds = 5, MaxQueuePollingSeconds = 1, MaxConcurrentActivities = 20,
        };
        Configure(settings);
        return settings;
    }

    [Fact]
    public async Task Killed_worker_process_loses_no_work_and_repeats_no_step()
    {
        var ledgerPath = Path.Combine(_dir.Path, "ledger.db");
        var ledger = new Ledger(ledgerPath);
        ledger.Create();
        var dataDir = Path.Combine(_dir.Path, "data");
        Directory.CreateDirectory(dataDir);
        await using var client = await DurableHost.StartAsync(Settings(), dataDir, _ => { }, runWorker: false);
        var ids = Enumerable.Range(0, Instances).Select(i => $"crash-{i:D3}").ToList();
        foreach (var id in ids)
        {
            await client.Client.ScheduleNewOrchestrationInstanceAsync(LedgerWorkload.Orchestrator, null,
                new StartOrchestrationOptions(id));
        }

        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"{Backend}: {Instances} instances, random seed {seed}");
        var clock = Stopwatch.StartNew();
        var killedWhileBusy = 0;
        for (var kill = 0; kill < Kills; kill++)
        {
            using var worker = new Worker(StartWorker(dataDir, ledgerPath), WorkerLog);
            // The kill is timed from the worker's first step, not from its start: starting takes most of 2-3 s on
            // Azure Storage (partitions, queues), and a worker killed before it ran anything proves nothing.
            var busy = await worker.BusyAsync(TimeSpan.FromSeconds(60));
            if (busy) await Task.Delay(random.Next(2000, 3000));
            worker.Kill();
            await worker.Process.WaitForExitAsync();
            var completed = await CountCompletedAsync(client, ids);
            if (busy && completed < Instances) killedWhileBusy++;
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s, kill {kill + 1} ({(busy ? "busy" : "idle")}): " +
                $"{completed}/{Instances} complete, {ledger.AttemptCount()} attempts");
            if (completed == Instances) break;
        }

        using (var final = new Worker(StartWorker(dataDir, ledgerPath), WorkerLog))
        {
            var limit = DateTime.UtcNow + FinalDeadline;
            while (await CountCompletedAsync(client, ids) < Instances)
            {
                if (DateTime.UtcNow > limit) Assert.Fail(await DescribeUnfinishedAsync(client, ids, final, ledger));
                await Task.Delay(250);
            }
            foreach (var id in ids)
            {
                var done = (await client.Client.GetInstanceAsync(id, getInputsAndOutputs: true))!;
                Assert.Equal(LedgerWorkload.ExpectedOutput, done.ReadOutputAs<int>());
            }
            final.Kill();
            await final.Process.WaitForExitAsync();
        }
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: all {Instances} complete");

        Assert.True(killedWhileBusy > 0, "no kill landed while work was in flight; the test proved nothing");
        var effects = ledger.Effects();
        var repeated = ledger.Repeated();
        output.WriteLine($"{effects.Count} effects from {ledger.AttemptCount()} attempts; {repeated.Count} steps ran " +
            $"more than once, e.g. {string.Join(", ", repeated.Take(10).Select(r => $"{r.Key} x{r.Runs}"))}");
        Assert.Equal(Instances * LedgerWorkload.ValuesPerInstance.Length, effects.Count);
        foreach (var id in ids)
        {
            Assert.Equal(LedgerWorkload.ValuesPerInstance,
                effects.Where(e => e.InstanceId == id).Select(e => e.Value).Order());
            var history = (await History.ReadAsync(client, id))!;
            Assert.Single(history, e => e.Type == EventType.ExecutionStarted);
            Assert.Equal(4, history.Count(e => e.Type == EventType.TaskCompleted));
            Assert.Equal(4, history.Where(e => e.Type == EventType.TaskCompleted)
                .Select(e => e.TaskScheduledId).Distinct().Count());
            Assert.Single(history, e => e.Type == EventType.SubOrchestrationInstanceCompleted);
            Assert.Single(history, e => e.Type == EventType.TimerFired);
            Assert.Single(history, e => e.Type == EventType.EventRaised);
        }
    }

    private Process StartWorker(string dataDir, string ledger)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Personas.Durable.TestWorker.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, dataDir, ledger }) info.ArgumentList.Add(arg);
        var settings = Settings();
        foreach (var property in typeof(DurableSettings).GetProperties())
            if (property.GetValue(settings) is { } value)
                info.Environment[$"Personas__Durable__{property.Name}"] =
                    Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
        return Process.Start(info)!;
    }

    /// <summary>A worker process whose output is read all along (a full pipe would stall it).</summary>
    private sealed class Worker : IDisposable
    {
        private readonly TaskCompletionSource _busy = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _errors = new();

        private readonly StreamWriter _log;

        public Worker(Process process, string logPath)
        {
            Process = process;
            _log = new StreamWriter(logPath, append: true) { AutoFlush = true };
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line) lock (_log) _log.WriteLine(line);
                if (e.Data == LedgerWorkload.BusyLine) _busy.TrySetResult();
                // The console logger's warnings (a slow activity, a failed renewal) help explain a stuck instance.
                else if (e.Data?.StartsWith("warn:", StringComparison.Ordinal) == true) Keep(e.Data);
            };
            process.ErrorDataReceived += (sender, e) =>
            {
                if (e.Data is not null) Keep(e.Data);
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        private void Keep(string line)
        {
            _errors.Enqueue(line);
            while (_errors.Count > 50) _errors.TryDequeue(out _);
        }

        public string Errors => string.Join('\n', _errors);

        /// <summary>True once the worker ran a step; false if it had nothing to do within the deadline.</summary>
        public async Task<bool> BusyAsync(TimeSpan deadline)
        {
            var exited = Process.WaitForExitAsync();
            var first = await Task.WhenAny(_busy.Task, exited, Task.Delay(deadline));
            if (first == exited && !_busy.Task.IsCompleted)
                throw new InvalidOperationException($"The worker exited early: {string.Join('\n', _errors)}");
            return _busy.Task.IsCompleted;
        }

        public void Kill()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        }

        public void Dispose()
        {
            Kill();
            Process.WaitForExit(); // the last lines reach the log before it closes
            Process.Dispose();
            lock (_log) _log.Dispose();
        }
    }

    /// <summary>One query, not one read per instance: 200 reads took seconds of Azurite's CPU each round.</summary>
    private readonly HashSet<string> _completed = [];

    /// <summary>
    /// Reads only the instances not yet seen completed (completed is final): 200 reads a round took seconds of
    /// Azurite's CPU. (A status-and-prefix query was tried and failed on Azure Storage through the sidecar.)
    /// </summary>
    /// <summary>
    /// Also raises each instance's event once it has started (it is buffered until the orchestrator awaits it).
    /// Raised while the instance is still Pending, Azure Storage can drop it: after a kill the start message may be
    /// deferred and the event dequeued alone, and DurableTask.AzureStorage discards messages for an instance without
    /// an ExecutionStarted ("No such instance"). Measured here: 1 of 200 lost, that instance never finished.
    /// (Its Instances row can also stay Pending after a kill while its history has moved on.)
    /// </summary>
    private async Task<int> CountCompletedAsync(DurableHost host, IReadOnlyCollection<string> ids)
    {
        var client = host.Client;
        foreach (var id in ids.Where(id => !_completed.Contains(id)))
        {
            var status = (await client.GetInstanceAsync(id))?.RuntimeStatus;
            if (status == OrchestrationRuntimeStatus.Completed) _completed.Add(id);
            if (_raised.Contains(id) || status is null) continue;
            // Azure Storage's Instances row can stay Pending after a kill while history has moved on: ask history.
            if (status == OrchestrationRuntimeStatus.Pending
                && (await History.ReadAsync(host, id))?.Any(e => e.Type == EventType.ExecutionStarted) != true)
                continue;
            _raised.Add(id);
            await client.RaiseEventAsync(id, LedgerWorkload.Event, true);
        }
        return _completed.Count;
    }

    private readonly HashSet<string> _raised = [];

    /// <summary>
    /// Each unfinished instance and its child: every history event (type, id, the task it answers, time) and, per
    /// step, how often the activity started and whether its effect landed, which tells a result lost after the work
    /// ran (attempts, effect, no TaskCompleted) from work never delivered (no attempt).
    /// </summary>
    private async Task<string> DescribeUnfinishedAsync(DurableHost client, IEnumerable<string> ids,
        Worker worker, Ledger ledger)
    {
        var lines = new List<string> { $"Not all instances completed within {FinalDeadline}:" };
        var unfinished = new List<string>();
        foreach (var id in ids)
        {
            var state = await client.Client.GetInstanceAsync(id);
            if (state?.RuntimeStatus == OrchestrationRuntimeStatus.Completed) continue;
            unfinished.Add(id);
            var child = await client.Client.GetInstanceAsync(id + "-child");
            var history = await History.ReadAsync(client, id) ?? [];
            var childHistory = await History.ReadAsync(client, id + "-child") ?? [];
            lines.Add($"{id}: {state?.RuntimeStatus}; " + string.Join(" ", history));
            lines.Add($"{id}-child: {child?.RuntimeStatus}; " + string.Join(" ", childHistory));
            lines.Add($"{id} steps: " + string.Join(", ", LedgerWorkload.ValuesPerInstance.Select(v =>
                ledger.Step($"{id}:{v}") is var (attempts, effect) ? $"{v}: {attempts} runs, effect {effect}" : "")));
            if (lines.Count > 12) break;
        }
        lines.Add("worker stderr and warnings: " + worker.Errors);
        lines.Add(TracesOf(unfinished.Take(2)));
        return string.Join('\n', lines);
    }

    /// <summary>
    /// The workers' log lines that name an unfinished instance or its child (the backend's own traces).
    /// </summary>
    private string TracesOf(IEnumerable<string> ids)
    {
        var names = ids.SelectMany(id => new[] { $"{id} ", $"{id}-child", $"{id}," , $"{id}'", $"{id}\"" }).ToList();
        var lines = File.Exists(WorkerLog) ? File.ReadLines(WorkerLog) : [];
        var traces = lines.Where(l => names.Any(n => l.Contains(n, StringComparison.Ordinal))).TakeLast(80)
            .Select(l => l.Length > 400 ? l[..400] : l);
        // The whole log outlives the test's folder: a hang is read from it afterwards.
        var kept = Path.Combine(Path.GetTempPath(), $"personas-crash-{Backend}-{DateTime.UtcNow:yyyyMMddHHmmss}.log");
        if (File.Exists(WorkerLog)) File.Copy(WorkerLog, kept, overwrite: true);
        return $"all worker output: {kept}\nworker traces naming them:\n" + string.Join('\n', traces);
    }

    public void Dispose() => _dir.Dispose();
}

/// <summary>Runs once DurableBackendFactory knows <c>sqlite</c> (being written on another branch).</summary>
[Trait("Category", CrashSuite.Category)]
public sealed class SqliteCrashSuite(ITestOutputHelper output) : CrashSuite(output)
{
    protected override string Backend => DurableBackends.Sqlite;
}

[Trait("Category", CrashSuite.Category)]
public sealed class AzureStorageCrashSuite(Azurite azurite, ITestOutputHelper output)
    : CrashSuite(output), IClassFixture<Azurite>
{
    protected override string Backend => DurableBackends.AzureStorage;

    protected override int Instances => 200;

    /// <summary>
    /// Control-queue messages are not renewed while their episode runs (the sidecar renews nothing), so with a 5 s
    /// visibility an episode slowed past it by a loaded machine lost its pop receipt, failed its commit and was
    /// backed off, up to 10 minutes after ten deliveries (hundreds of such failures in one run at load 25). 10 s
    /// still brings a killed worker's messages back quickly; the product's default is 30 s.
    /// </summary>
    protected override void Configure(DurableSettings settings)
    {
        settings.StorageConnectionString = azurite.ConnectionString;
        settings.VisibilityTimeoutSeconds = 10;
    }
}
