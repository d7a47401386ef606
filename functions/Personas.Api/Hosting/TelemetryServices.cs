using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Personas.Api.Hosting;

/// <summary>Where traces and metrics go, under <c>Personas:Telemetry</c>.</summary>
public sealed class TelemetrySettings
{
    public const string Section = "Personas:Telemetry";

    /// <summary>
    /// <c>azuremonitor</c>, <c>otlp</c>, <c>console</c> or <c>none</c>. Empty: Azure Monitor when
    /// APPLICATIONINSIGHTS_CONNECTION_STRING is set (as in Azure), OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is, else none.
    /// </summary>
    public string? Exporter { get; set; }

    public string ServiceName { get; set; } = "personas";

    public string ResolvedExporter() => Exporter?.Trim().ToLowerInvariant() is { Length: > 0 } chosen ? chosen
        : !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(AzureMonitorConnectionVariable)) ? "azuremonitor"
        : !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")) ? "otlp"
        : "none";

    public const string AzureMonitorConnectionVariable = "APPLICATIONINSIGHTS_CONNECTION_STRING";
}

/// <summary>
/// OpenTelemetry traces and metrics across HTTP requests, the workflows (the Durable Task SDK's own spans) and
/// provider calls (HttpClient). Query strings stay redacted, so signed links and webhook parameters never reach a
/// trace; keys travel in headers, which are not recorded.
/// </summary>
public static class TelemetryServices
{
    /// <summary>The SDK's spans for orchestrations and activities.</summary>
    public const string DurableTaskSource = "Microsoft.DurableTask";

    public static IServiceCollection AddPersonasTelemetry(this IServiceCollection services,
        IConfiguration configuration)
    {
        var settings = configuration.GetSection(TelemetrySettings.Section).Get<TelemetrySettings>()
            ?? new TelemetrySettings();
        var exporter = settings.ResolvedExporter();
        if (exporter is not ("azuremonitor" or "otlp" or "console" or "none"))
            throw new InvalidOperationException(
                $"{TelemetrySettings.Section}:Exporter must be azuremonitor, otlp, console or none, " +
                $"not '{settings.Exporter}'.");

        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(settings.ServiceName))
            .WithTracing(t =>
            {
                t.AddSource(DurableTaskSource).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                switch (exporter)
                {
                    case "azuremonitor": t.AddAzureMonitorTraceExporter(); break;
                    case "otlp": t.AddOtlpExporter(); break;
                    case "console": t.AddConsoleExporter(); break;
                }
            })
            .WithMetrics(m =>
            {
                m.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation();
                switch (exporter)
                {
                    case "azuremonitor": m.AddAzureMonitorMetricExporter(); break;
                    case "otlp": m.AddOtlpExporter(); break;
                    case "console": m.AddConsoleExporter(); break;
                }
            });
        return services;
    }
}
