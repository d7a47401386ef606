using Personas.Orchestrations.Analytics;
using Personas.Providers.Analytics;
using Personas.Providers.Publishing;

namespace Personas.Api.Hosting;

/// <summary>Engagement collection: its timing and the per-publisher metrics clients.</summary>
public static class AnalyticsServices
{
    public static IServiceCollection AddAnalytics(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(AnalyticsOptions.Section).Get<AnalyticsOptions>()
            ?? new AnalyticsOptions();
        options.Offsets(); // a malformed SampleHours stops the host here, not a collector later
        services.AddSingleton(options);
        services.AddSingleton(sp => new MetricsClients(sp.GetRequiredService<PublishingOptions>(),
            new HttpClient { Timeout = Timeout.InfiniteTimeSpan }));
        return services;
    }
}
