using Microsoft.Extensions.DependencyInjection;
using Personas.Domain.Personas;
using Personas.Domain.Stores;
using Personas.Domain.Training;
using Personas.Imaging.Preparation;
using Personas.Orchestrations;
using Personas.Orchestrations.Dataset;
using Personas.Orchestrations.Training;

namespace Personas.Functions.Tests.Hardening.Crash;

/// <summary>
/// A run's status write delivered again after the persona moved on (another run claimed it, the owner rolled back)
/// leaves the status to whoever holds the persona now.
/// </summary>
public sealed class StatusRedeliveryTests(DryRunApiHost host) : IClassFixture<DryRunApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);
    private ICatalog Catalog => host.App.Services.GetRequiredService<ICatalog>();

    [Fact]
    public async Task A_dataset_runs_late_prepared_does_not_take_the_persona_back_from_the_training_that_claimed_it()
    {
        var id = await PersonaApiTests.CreateAsync(_alice, "zqxlateprepared");
        const string dataset = "dataset-late-01", training = "train-late-01";
        await Catalog.UpdatePersonaAsync("alice", id,
            p => DatasetClaim.Apply(p, null, dataset, DateTimeOffset.UtcNow));
        var activity = new SetPersonaStatusActivity(Catalog, TimeProvider.System);
        var prepared = new SetPersonaStatusInput("alice", id, PersonaStatus.Prepared, null, null);
        await activity.RunAsync(new ActivityContext(dataset, nameof(SetPersonaStatusActivity)), prepared);
        Assert.Equal(PersonaStatus.Prepared, (await Catalog.GetPersonaAsync("alice", id))!.Status);
        await Catalog.UpdatePersonaAsync("alice", id,
            p => TrainingClaim.Apply(p, null, training, DateTimeOffset.UtcNow));

        await activity.RunAsync(new ActivityContext(dataset, nameof(SetPersonaStatusActivity)), prepared);

        var persona = (await Catalog.GetPersonaAsync("alice", id))!;
        Assert.Equal((PersonaStatus.Training, training), (persona.Status, persona.TrainingInstanceId));
        var failed = new SetPersonaStatusInput("alice", id, PersonaStatus.Failed, "the dataset failed", null);
        await activity.RunAsync(new ActivityContext(PersonaClaims.TrainingDataset(training), "x"), failed);
        Assert.Equal(PersonaStatus.Failed, (await Catalog.GetPersonaAsync("alice", id))!.Status);
    }

    [Fact]
    public async Task A_completion_repeated_after_a_rollback_keeps_the_version_and_the_owners_choice()
    {
        var id = await PersonaApiTests.CreateAsync(_alice, "zqxlatecomplete");
        const string first = "train-complete-01", second = "train-complete-02";
        var activity = new CompleteTrainingActivity(Catalog, TimeProvider.System);
        await Catalog.UpdatePersonaAsync("alice", id, p => TrainingClaim.Apply(p, null, first, DateTimeOffset.UtcNow));
        await activity.RunAsync(new ActivityContext(first, "x"), new CompleteTrainingInput("alice", id, Model(1)));
        await Catalog.UpdatePersonaAsync("alice", id,
            p => TrainingClaim.Apply(p, first, second, DateTimeOffset.UtcNow));
        var v2 = new CompleteTrainingInput("alice", id, Model(2));
        await activity.RunAsync(new ActivityContext(second, "x"), v2);
        Assert.Equal((PersonaStatus.Ready, 2), await StateAsync(id));
        await Catalog.UpdatePersonaAsync("alice", id, p => p with { ActiveVersion = 1 }); // the owner rolls back

        await activity.RunAsync(new ActivityContext(second, "x"), v2);

        Assert.Equal((PersonaStatus.Ready, 1), await StateAsync(id));
        Assert.Equal([1, 2], (await Catalog.GetPersonaAsync("alice", id))!.Models.Select(m => m.Version));
    }

    [Theory]
    [InlineData(PersonaStatus.Preparing, "d", true)]
    [InlineData(PersonaStatus.Preparing, "t", false)]
    [InlineData(PersonaStatus.Training, "t", true)]
    [InlineData(PersonaStatus.Validating, "t-dataset", true)]
    [InlineData(PersonaStatus.Failed, "t", true)]
    [InlineData(PersonaStatus.Training, "d", false)]
    [InlineData(PersonaStatus.Prepared, "d", false)]
    [InlineData(PersonaStatus.Ready, "t", false)]
    [InlineData(PersonaStatus.Draft, "t", false)]
    [InlineData(PersonaStatus.Deleting, "t", false)]
    public void A_run_holds_the_persona_only_in_its_own_statuses(PersonaStatus status, string instance, bool held)
    {
        var at = DateTimeOffset.UnixEpoch;
        var persona = new Persona
        {
            Id = "p", Owner = "alice", Name = "Held", TriggerWord = "zqxheld", Mode = PersonaMode.Portrait,
            Consent = new Domain.Personas.Consent(true, true, true, true, new ConsentRestrictions(), at, null, null),
            Status = status,
            CreatedAt = at, UpdatedAt = at, DatasetInstanceId = "d", TrainingInstanceId = "t",
        };
        Assert.Equal(held, PersonaClaims.HeldBy(persona, instance));
    }

    private async Task<(PersonaStatus, int?)> StateAsync(string id) =>
        (await Catalog.GetPersonaAsync("alice", id)) is { } p ? (p.Status, p.ActiveVersion) : default;

    private static PersonaModel Model(int version) =>
        new(version, "dry-run", $"job-{version}", $"w{version}", [], new TrainingOptions(), DateTimeOffset.UtcNow);
}
