using System.Net;
using Personas.Durable.Storage;

namespace Personas.Functions.Timers;

/// <summary>
/// The Azure Functions timer trigger (FunctionApp/DurableTimerTick) posts here so a scaled-to-zero app wakes up for
/// due durable timers; the worker then finds them on its next look. Only the Functions host, on this machine, may call it.
/// </summary>
public static class TimerTickEndpoint
{
    public const string FunctionName = "DurableTimerTick";

    public static void MapTimerTick(this IEndpointRouteBuilder app) =>
        app.MapPost($"/{FunctionName}", (HttpContext http, IOrchestrationStore store) =>
        {
            if (http.Connection.RemoteIpAddress is not { } caller || !IPAddress.IsLoopback(caller)) return Results.NotFound();
            store.WorkAvailable.Notify();
            // The custom-handler invocation response: no output bindings, one log line.
            return Results.Json(new Dictionary<string, object?> { ["Outputs"] = new Dictionary<string, object>(), ["Logs"] = new[] { "durable worker woken" }, ["ReturnValue"] = null });
        }).AllowAnonymous().ExcludeFromDescription();
}
