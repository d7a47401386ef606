using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.Batches;

/// <summary>
/// The dry run behind a gate, priced at $0.50 a picture, two pictures at once, the workflow continuing as new after
/// each wave, and one trained persona the tests share (training it is the slow part).
/// </summary>
public sealed class BatchApiHost : ApiHost
{
    public const string Prices = "dryrun=0.5";
    private Task<string>? _persona;

    public GatedGenerator Generator { get; } = new();

    protected override Task<IDictionary<string, string?>> ExtraSettingsAsync() =>
        Task.FromResult<IDictionary<string, string?>>(new Dictionary<string, string?>
        {
            ["Personas:Training:DryRunSeconds"] = "1",
            ["Personas:Generation:PricePerImageUsd"] = Prices,
            ["Personas:Batches:Concurrency"] = "2",
            // One wave per execution: every batch test also runs across continue-as-new.
            ["Personas:Batches:ItemsPerExecution"] = "1",
        });

    protected override void ReplaceServices(IServiceCollection services) => Generator.Register(services, Prices);

    /// <summary>Alice's trained persona, trigger word zqxbatch.</summary>
    public Task<string> PersonaAsync() =>
        _persona ??= GenerationApiTests.ReadyPersonaAsync(Client(AliceKey), "zqxbatch");
}

/// <summary>Starting, reading and waiting on batches through the API.</summary>
internal static class BatchCalls
{
    public static async Task<JsonObject> StartAsync(HttpClient client, string personaId, object body) =>
        await Json(await client.PostAsJsonAsync($"/api/personas/{personaId}/batches", body), 202);

    public static async Task<JsonObject> GetAsync(HttpClient client, JsonObject accepted) =>
        await Json(await client.GetAsync(accepted["batch"]!["resultUri"]!.GetValue<string>()), 200);

    /// <summary>The batch once <paramref name="ready"/> holds for it.</summary>
    public static Task<JsonObject> WaitForAsync(HttpClient client, JsonObject accepted, Func<JsonObject, bool> ready,
        string what) =>
        Eventually.GetAsync(async () => await GetAsync(client, accepted) is var b && ready(b) ? b : null, what);

    public static Task<JsonObject> WaitForStatusAsync(HttpClient client, JsonObject accepted, string status) =>
        WaitForAsync(client, accepted, b => Status(b) == status, $"the batch to be {status}");

    /// <summary>The workflow's own state, once it has reached <paramref name="step"/> (paused, completed...).</summary>
    public static Task<JsonObject> WaitForStepAsync(HttpClient client, JsonObject accepted, string step) =>
        Eventually.GetAsync(async () =>
        {
            var response = await client.GetAsync(accepted["instance"]!["statusQueryGetUri"]!.GetValue<string>());
            var instance = await Json(response, (int)response.StatusCode);
            return instance["customStatus"]?["step"]?.GetValue<string>() == step ? instance : null;
        }, $"the batch workflow to be {step}");

    /// <summary>The ledger's rows for this batch's pictures (keyed by its workflow instance).</summary>
    public static int PaidPictures(JsonObject costs, JsonObject accepted) => costs["entries"]!.AsArray().Count(e =>
        e!["operation"]!.GetValue<string>() == "batch"
        && e["key"]?["instanceId"]?.GetValue<string>() == accepted["instance"]!["id"]!.GetValue<string>());

    public static string Status(JsonObject batch) => batch["batch"]!["status"]!.GetValue<string>();

    public static int Progress(JsonObject batch, string what) =>
        batch["batch"]!["progress"]![what]!.GetValue<int>();
}
