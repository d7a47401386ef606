namespace Personas.Durable;

/// <summary>
/// The orchestrators and activities a worker can run. An orchestrator may be registered in several versions; new
/// instances start on the default (the last one registered) and in-flight instances keep the version they started on.
/// </summary>
public sealed class DurableTaskRegistry
{
    private readonly Dictionary<string, Dictionary<string, Func<IServiceProvider, ITaskOrchestrator>>> _orchestrators = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _defaultVersions = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Func<IServiceProvider, ITaskActivity>> _activities = new(StringComparer.OrdinalIgnoreCase);

    public const string UnversionedVersion = "";

    public DurableTaskRegistry AddOrchestrator<T>(string? name = null, string? version = null) where T : class, ITaskOrchestrator =>
        AddOrchestrator(name ?? typeof(T).Name, version, sp => ActivatorUtilitiesCreate<T>(sp));

    public DurableTaskRegistry AddOrchestrator(string name, string? version, Func<IServiceProvider, ITaskOrchestrator> factory)
    {
        version ??= UnversionedVersion;
        if (!_orchestrators.TryGetValue(name, out var versions)) _orchestrators[name] = versions = new(StringComparer.Ordinal);
        if (!versions.TryAdd(version, factory)) throw new InvalidOperationException($"Orchestrator '{name}' version '{version}' is registered twice.");
        _defaultVersions[name] = version;
        return this;
    }

    /// <summary>Registers an orchestrator written as a function.</summary>
    public DurableTaskRegistry AddOrchestratorFunc<TInput, TOutput>(string name, Func<TaskOrchestrationContext, TInput, Task<TOutput>> run, string? version = null) =>
        AddOrchestrator(name, version, _ => new FuncOrchestrator<TInput, TOutput>(run));

    public DurableTaskRegistry AddActivity<T>(string? name = null) where T : class, ITaskActivity =>
        AddActivity(name ?? typeof(T).Name, sp => ActivatorUtilitiesCreate<T>(sp));

    public DurableTaskRegistry AddActivity(string name, Func<IServiceProvider, ITaskActivity> factory)
    {
        if (!_activities.TryAdd(name, factory)) throw new InvalidOperationException($"Activity '{name}' is registered twice.");
        return this;
    }

    /// <summary>Registers an activity written as a function.</summary>
    public DurableTaskRegistry AddActivityFunc<TInput, TOutput>(string name, Func<TaskActivityContext, TInput, Task<TOutput>> run) =>
        AddActivity(name, _ => new FuncActivity<TInput, TOutput>(run));

    public bool HasOrchestrator(string name) => _orchestrators.ContainsKey(name);

    public string? DefaultVersionOf(string name) => _defaultVersions.GetValueOrDefault(name);

    public bool TryGetOrchestrator(string name, string? version, out Func<IServiceProvider, ITaskOrchestrator>? factory)
    {
        factory = null;
        return _orchestrators.TryGetValue(name, out var versions) && versions.TryGetValue(version ?? UnversionedVersion, out factory);
    }

    public bool TryGetActivity(string name, out Func<IServiceProvider, ITaskActivity>? factory) => _activities.TryGetValue(name, out factory);

    private static T ActivatorUtilitiesCreate<T>(IServiceProvider sp) where T : class =>
        Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<T>(sp);

    private sealed class FuncOrchestrator<TInput, TOutput>(Func<TaskOrchestrationContext, TInput, Task<TOutput>> run) : TaskOrchestrator<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput input) => run(context, input);
    }

    private sealed class FuncActivity<TInput, TOutput>(Func<TaskActivityContext, TInput, Task<TOutput>> run) : TaskActivity<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) => run(context, input);
    }
}
