using Personas.Durable;

namespace Personas.Functions.Hosting;

/// <summary>
/// The Durable client bound to the current function invocation. The API's routes and one activity take a
/// <see cref="DurableTaskClient"/> from DI, as they do in the local host; here it is the invocation's binding.
/// </summary>
public sealed class InvocationDurableClient
{
    public DurableTaskClient? Client { get; set; }
}

public static class FunctionsDurableServices
{
    /// <summary>The name the health route reports for the workflow store.</summary>
    public const string BackendName = "durable-functions";

    public static IServiceCollection AddFunctionsDurableClient(this IServiceCollection services)
    {
        services.AddScoped<InvocationDurableClient>();
        services.AddScoped<DurableTaskClient>(sp => new BorrowedDurableClient(
            sp.GetRequiredService<InvocationDurableClient>().Client ?? throw new InvalidOperationException(
                "This function has no [DurableClient] binding, so it cannot reach workflows.")));
        services.AddSingleton(new DurableSettings { Backend = BackendName });
        return services;
    }
}
