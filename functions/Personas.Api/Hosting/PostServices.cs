using Personas.Domain.Stores;
using Personas.Orchestrations.Posts;
using Personas.Providers.Llm;
using Personas.Providers.Publishing;

namespace Personas.Api.Hosting;

/// <summary>Post writing (model or templates), the lifecycle's timing, and the publishers.</summary>
public static class PostServices
{
    public static IServiceCollection AddPosts(this IServiceCollection services, IConfiguration configuration, PersonasSettings settings, LlmOptions llm)
    {
        services.AddSingleton(configuration.GetSection(PostOptions.Section).Get<PostOptions>() ?? new PostOptions());
        var publishing = configuration.GetSection(PublishingOptions.Section).Get<PublishingOptions>() ?? new PublishingOptions();
        if (string.IsNullOrWhiteSpace(publishing.OutboxDir)) publishing.OutboxDir = Path.Combine(Path.GetFullPath(settings.DataDir), "outbox");
        services.AddSingleton(publishing);
        services.AddSingleton(new PostWriter(llm.TextConfigured ? new ChatCopywriter(llm) : null));
        services.AddSingleton<PostMaker>();
        services.AddHttpClient();
        services.AddSingleton(sp => new Publishers(publishing, new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
