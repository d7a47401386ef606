using Microsoft.AspNetCore.Builder;
using Personas.Api.Hosting;

namespace Personas.Functions.Hosting;

/// <summary>
/// Runs the API's own pipeline (routing, problem+json, API-key authentication, authorization, the route table) for a
/// request that reached an HTTP-triggered function. The functions only declare routes for the Functions host; what a
/// route does, and how it is secured, is defined once in <see cref="ApiPipeline"/> and answers alike in both hosts.
/// </summary>
public sealed class ApiDispatcher
{
    private readonly RequestDelegate _pipeline;

    public ApiDispatcher(IServiceProvider services)
    {
        var app = new ApplicationBuilder(services);
        app.UseRouting();
        app.UsePersonasApiMiddleware();
        app.UseEndpoints(endpoints => endpoints.MapPersonasApi());
        _pipeline = app.Build();
    }

    /// <summary>
    /// Answers <paramref name="request"/> by writing to its response. The invocation's Durable client is made the
    /// request's <see cref="DurableTaskClient"/> first: under Durable Functions a client exists only as a binding.
    /// </summary>
    public Task RunAsync(HttpRequest request, DurableTaskClient durable, FunctionContext context)
    {
        var http = request.HttpContext;
        http.RequestServices = context.InstanceServices;
        context.InstanceServices.GetRequiredService<InvocationDurableClient>().Client = durable;
        // The host already matched this function's route; the pipeline matches again, against the same table.
        http.SetEndpoint(null);
        http.Request.RouteValues.Clear();
        return _pipeline(http);
    }
}
