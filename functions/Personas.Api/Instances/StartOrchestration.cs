using System.Security.Cryptography;
using System.Text;
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
    public static async Task<IResult> HandleAsync(string name, string? instanceId, HttpContext http,
        DurableTaskClient client, IInstanceLedger ledger, TimeProvider clock, IOptions<PersonasSettings> settings)
    {
        var owner = http.User.Owner();
        if (!PersonasWorkflows.HttpStartable.TryGetValue(name, out var inputType))
            return ProblemWriter.Result(http, 404, "Not found",
                $"There is no orchestrator named '{name}' that can be started here.", "name");
        if (instanceId is not null && !InstanceRequests.InstanceId().IsMatch(instanceId))
            return ProblemWriter.Invalid(http, "instanceId", InstanceRequests.InstanceIdRule);
        var idempotencyKey = http.Request.Headers["Idempotency-Key"].ToString();
        if (idempotencyKey.Length > 0 && !InstanceRequests.IdempotencyKey().IsMatch(idempotencyKey))
            return ProblemWriter.Invalid(http, "Idempotency-Key", InstanceRequests.IdempotencyKeyRule);

        var (input, bodyProblem) = await JsonBody.ReadAsync(http, settings.Value.MaxJsonBodyBytes);
        if (bodyProblem is not null) return bodyProblem;
        if (CheckInput(http, inputType, input) is { } inputProblem) return inputProblem;

        var requestHash = Hash($"{name}\n{input?.ToJsonString() ?? "null"}");
        var id = instanceId ?? (idempotencyKey.Length > 0
            ? "idem-" + Hash($"{owner}\n{idempotencyKey}")[..32]
            : Guid.NewGuid().ToString("N"));
        var started = await client.StartOwnedAsync(ledger, clock, owner, name, input, id, requestHash,
            http.RequestAborted);
        if (!started.Created) http.Response.Headers["Idempotent-Replayed"] = "true";
        if (started.Instance is null)
            return instanceId is null
                ? ProblemWriter.Result(http, 422, "Idempotency key reused",
                    "This Idempotency-Key was already used for a different request.", "Idempotency-Key")
                : ProblemWriter.Result(http, 409, "Conflict",
                    $"Instance '{id}' already exists and was started with a different request.", "instanceId");
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

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
