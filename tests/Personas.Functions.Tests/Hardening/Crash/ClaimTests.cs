using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Personas.Domain.Stores;
using Personas.Domain.Training;
using Personas.Orchestrations.Dataset;
using Personas.Orchestrations.Training;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.Hardening.Crash;

/// <summary>
/// Runs are scheduled before the persona is claimed, and claim it themselves: a host killed between scheduling and
/// the endpoint's claim is played by scheduling a run directly, as the endpoint does, without the claim.
/// </summary>
public sealed class ClaimTests(DryRunApiHost host) : IClassFixture<DryRunApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);
    private DurableTaskClient Durable => host.App.Services.GetRequiredService<DurableTaskClient>();
    private ICatalog Catalog => host.App.Services.GetRequiredService<ICatalog>();

    [Fact]
    public async Task A_training_run_whose_endpoint_died_before_the_claim_claims_the_persona_itself_and_trains()
    {
        var persona = await TrainingApiTests.PersonaWithPhotosAsync(_alice, "zqxclaimself");
        var id = $"train-{persona}-0a0a0a0a";
        await Durable.ScheduleNewOrchestrationInstanceAsync(TrainPersonaOrchestrator.Name,
            new TrainPersonaInput("alice", persona, 1, new TrainingOptions(), 5, Validate: false),
            new StartOrchestrationOptions(id));

        var ready = await TrainingApiTests.WaitForStatusAsync(_alice, persona, "Ready", "Failed");
        Assert.Equal("Ready", ready["status"]!.GetValue<string>());
        Assert.Equal(id, (await Catalog.GetPersonaAsync("alice", persona))!.TrainingInstanceId);
        Assert.Equal(id, ready["instanceId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_run_that_lost_the_claim_ends_superseded_and_pays_nothing()
    {
        var persona = await TrainingApiTests.PersonaWithPhotosAsync(_alice, "zqxsuperseded");
        var accepted = await Json(await _alice.PostAsync($"/api/personas/{persona}/train", null), 202);
        var winner = accepted["id"]!.GetValue<string>();
        // Started from the same state (no prior run) as the winner, but after it claimed.
        var loser = $"train-{persona}-0b0b0b0b";
        await Durable.ScheduleNewOrchestrationInstanceAsync(TrainPersonaOrchestrator.Name,
            new TrainPersonaInput("alice", persona, 1, new TrainingOptions(), 5, Validate: false),
            new StartOrchestrationOptions(loser));

        var ended = await Durable.WaitForInstanceCompletionAsync(loser, getInputsAndOutputs: true);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, ended.RuntimeStatus);
        Assert.Contains("Superseded", ended.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        await TrainingApiTests.WaitForStatusAsync(_alice, persona, "Ready", "Failed");
        Assert.Null(await Catalog.FindPaidCallAsync("alice", SubmitTrainingActivity.Key(loser)));
        Assert.NotNull(await Catalog.FindPaidCallAsync("alice", SubmitTrainingActivity.Key(winner)));
        Assert.All(await Catalog.ListProviderJobsAsync("alice", persona), job => Assert.Equal(winner, job.InstanceId));
        Assert.Equal(winner, (await Catalog.GetPersonaAsync("alice", persona))!.TrainingInstanceId);
    }

    [Fact]
    public async Task A_dataset_run_whose_endpoint_died_before_the_claim_claims_the_persona_itself()
    {
        var persona = await TrainingApiTests.PersonaWithPhotosAsync(_alice, "zqxclaimdata");
        var id = $"dataset-{persona}-0c0c0c0c";
        await Durable.ScheduleNewOrchestrationInstanceAsync(PrepareDatasetOrchestrator.Name,
            new PrepareDatasetInput("alice", persona, Claim: true), new StartOrchestrationOptions(id));

        await Durable.WaitForInstanceCompletionAsync(id);
        var prepared = (await Catalog.GetPersonaAsync("alice", persona))!;
        Assert.Equal(Domain.Personas.PersonaStatus.Prepared, prepared.Status);
        Assert.Equal(id, prepared.DatasetInstanceId);
    }

    [Fact]
    public async Task The_endpoint_still_answers_202_with_its_run_and_the_persona_is_claimed_before_it_answers()
    {
        var persona = await TrainingApiTests.PersonaWithPhotosAsync(_alice, "zqxclaimfirst");
        var accepted = await Json(await _alice.PostAsync($"/api/personas/{persona}/train", null), 202);
        var claimed = (await Catalog.GetPersonaAsync("alice", persona))!;
        Assert.Equal(accepted["id"]!.GetValue<string>(), claimed.TrainingInstanceId);
        Assert.Matches($"^train-{persona}-[0-9a-f]{{8}}$", claimed.TrainingInstanceId);
        await TrainingApiTests.WaitForStatusAsync(_alice, persona, "Ready", "Failed");
    }
}
