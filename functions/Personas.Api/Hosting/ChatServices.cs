using Personas.Providers.Chat;
using Personas.Providers.Llm;
using Personas.Providers.Rating;

namespace Personas.Api.Hosting;

/// <summary>
/// Persona chat, profile writing and content rating: the configured text model, or templates and the word list.
/// </summary>
public static class ChatServices
{
    public static IServiceCollection AddChat(this IServiceCollection services, LlmOptions llm)
    {
        services.AddSingleton(new ContentRater(llm.TextConfigured ? new ModelRater(llm) : null));
        services.AddSingleton(new PersonaChat(llm));
        services.AddSingleton(new ProfileWriter(llm));
        return services;
    }
}
