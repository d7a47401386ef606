using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Personas.Api.Hosting;

namespace Personas.Functions.Tests.Hosting;

/// <summary>The host's own trace pipeline (Personas:Telemetry), with an in-memory exporter beside its exporters.</summary>
public sealed class TracedHost : ApiHost
{
    public ConcurrentQueue<Activity> Spans { get; } = new();

    protected override void ReplaceServices(IServiceCollection services) =>
        services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(new SpanList(Spans)));

    /// <summary>The in-memory exporter wants an ICollection; a concurrent queue keeps the test's reads safe.</summary>
    private sealed class SpanList(ConcurrentQueue<Activity> queue) : List<Activity>, ICollection<Activity>
    {
        void ICollection<Activity>.Add(Activity item) => queue.Enqueue(item);
    }
}

public sealed class TelemetryTests(TracedHost host) : IClassFixture<TracedHost>
{
    [Fact]
    public async Task Requests_are_traced_with_their_route_and_no_query_string_values()
    {
        var alice = host.Client(ApiHost.AliceKey);
        (await alice.GetAsync("/api/personas?secret-marker=s3cr3t-value")).EnsureSuccessStatusCode();

        // Listeners are process-wide, so other hosts' requests show up too: find ours by its query's key.
        var span = await Eventually.GetAsync(() => host.Spans.FirstOrDefault(s => s.Kind == ActivityKind.Server
            && s.GetTagItem("url.query")?.ToString()?.Contains("secret-marker") == true), "this request's server span");
        Assert.Equal("/api/personas/", span.GetTagItem("http.route"));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        Assert.DoesNotContain(host.Spans.SelectMany(s => s.TagObjects), t => t.Value?.ToString()?.Contains("s3cr3t-value") == true);
    }

    [Fact]
    public async Task Workflow_activities_are_traced_by_the_durable_task_sdk()
    {
        var alice = host.Client(ApiHost.AliceKey);
        var started = await alice.PostAsJsonAsync("/api/orchestrators/RuntimeDemo",
            new { sentences = new[] { "one two three", "four five" } });
        Assert.Equal(202, (int)started.StatusCode);

        var span = await Eventually.GetAsync(() => host.Spans.FirstOrDefault(s =>
            s.Source.Name == TelemetryServices.DurableTaskSource && s.DisplayName.Contains("CountWordsActivity")),
            "a span for the CountWordsActivity activity", seconds: 30);
        Assert.NotEqual(default, span.TraceId);
    }
}
