using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.DurableTask.Client;
using Personas.Domain.Stores;
using Personas.Durable;
using Personas.Api.Auth;
using Personas.Api.Hosting;
using Personas.Api.Problems;
using Personas.Orchestrations;

namespace Personas.Api.Instances;

/// <summary>
/// Starts an orchestration for the caller. A start is idempotent: repeating it with the same instance id or the
/// same <c>Idempotency-Key</c> returns the instance the first request made; reusing either for a different request
/// is refused, so a retried POST can never start work twice or silently drop a change.
/// </summary>
internal static class StartOrchestration
{
    public const string Route = "/api/orchestrators/{name}/{instanceId?}";

    public static async Task<IResult> HandleAsync(string name, string? instanceId, HttpContext http,
        DurableTaskClient client, IInstanceLedger ledger, TimeProvider clock, IOptions<PersonasSettings> settings)
    {
        var owner = http.User.Owner();
        if (!PersonasWorkflows.HttpStartable.TryGetValue(name, out var inputType))
            return ProblemWriter.Result(http, 404, "Not found",
                $"There is no orchestrator named '{name}' that can be started here.", "name");
        if (instanceId is not null && !InstanceRequests.InstanceId().IsMatch(instanceId))
            return ProblemWriter.Invalid(http, "instanceId", InstanceRequests.InstanceIdRule);
        if (IdempotentStart.KeyProblem(http, out _) is { } keyProblem) return keyProblem;

        var (input, bodyProblem) = await JsonBody.ReadAsync(http, settings.Value.MaxJsonBodyBytes);
        if (bodyProblem is not null) return bodyProblem;
        if (CheckInput(http, inputType, input) is { } inputProblem) return inputProblem;

        // The orchestrator's name is the scope: one key or instance id stands for one name and input.
        var (idem, _) = IdempotentStart.Read(http, Route, name, input);
        var id = instanceId ?? (idem!.Keyed ? "idem-" + idem.Id() : Guid.NewGuid().ToString("N"));
        var started = await client.StartOwnedAsync(ledger, clock, owner, name, input, id, idem!.RequestHash,
            http.RequestAborted);
        if (started.Instance is null)
            return instanceId is null ? idem.KeyReused()
                : ProblemWriter.Result(http, 409, "Conflict",
                    $"Instance '{id}' already exists and was started with a different request.", "instanceId");
        if (!started.Created) return idem.Replayed(Accepted(http, started.Instance, settings.Value));
        return Accepted(http, started.Instance, settings.Value);
    }

    public static IResult Accepted(HttpContext http, OrchestrationMetadata instance, PersonasSettings settings)
    {
        var payload = InstancePayloads.Management(http, instance);
        http.Response.Headers.RetryAfter = settings.RetryAfterSeconds.ToString();
        return TypedResults.Accepted(payload.StatusQueryGetUri, payload);
    }

    /// <summary>Checks the body against the orchestrator's input type, and its own rules when it has them.</summary>
    private static IResult? CheckInput(HttpContext http, Type inputType, JsonNode? input)
    {
        object? value;
        try
        {
            value = input.Deserialize(inputType, PersonasDataConverter.DefaultOptions);
        }
        catch (JsonException ex)
        {
            return ProblemWriter.Invalid(http, ex.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body", $"The body does not fit the expected input: {ex.Message.Split(" Path:")[0]}");
        }
        if (value is null && inputType.IsValueType is false && typeof(IValidatedInput).IsAssignableFrom(inputType))
            return ProblemWriter.Invalid(http, "body", "A JSON body is required.");
        if (value is IValidatedInput validated && validated.Validate().FirstOrDefault() is { Field: not null } error)
            return ProblemWriter.Invalid(http, error.Field, error.Reason);
        return null;
    }

}
