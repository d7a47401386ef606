using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Personas.Api.Recovery;
using Personas.Domain.Personas;
using Personas.Domain.Posts;
using Personas.Domain.Stores;
using Personas.Domain.Training;
using Personas.Orchestrations.Training;

namespace Personas.Functions.Tests.Hardening.Crash;

/// <summary>The startup repair releases what a stopped host stranded, and leaves live work alone.</summary>
public sealed class RepairTests(DryRunApiHost host) : IClassFixture<DryRunApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);
    private DurableTaskClient Durable => host.App.Services.GetRequiredService<DurableTaskClient>();
    private ICatalog Catalog => host.App.Services.GetRequiredService<ICatalog>();

    private async Task<IReadOnlyList<string>> RepairAsync()
    {
        await using var scope = host.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StrandedWorkRepair>()
            .RunAsync(TimeSpan.Zero, CancellationToken.None);
    }

    private async Task<string> StrandAsync(string trigger, PersonaStatus status, string instanceId)
    {
        var id = await PersonaApiTests.CreateAsync(_alice, trigger);
        await Catalog.UpdatePersonaAsync("alice", id, p => status == PersonaStatus.Preparing
            ? p with { Status = status, DatasetInstanceId = instanceId }
            : p with { Status = status, TrainingInstanceId = instanceId });
        return id;
    }

    [Fact]
    public void The_repair_runs_when_the_host_starts()
    {
        Assert.Single(host.App.Services.GetServices<IHostedService>().OfType<StartupRepair>());
    }

    [Fact]
    public async Task A_persona_training_under_a_run_that_does_not_exist_goes_back_to_draft_with_a_reason()
    {
        var training = await StrandAsync("zqxstrandtrain", PersonaStatus.Training, "train-nothing-0d0d0d0d");
        var preparing = await StrandAsync("zqxstrandprep", PersonaStatus.Preparing, "dataset-nothing-0d0d0d0d");

        var repaired = await RepairAsync();

        Assert.Contains(training, repaired);
        Assert.Contains(preparing, repaired);
        foreach (var id in new[] { training, preparing })
        {
            var persona = (await Catalog.GetPersonaAsync("alice", id))!;
            Assert.Equal(PersonaStatus.Draft, persona.Status);
            Assert.Contains("stopped without finishing", persona.StatusReason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_persona_under_a_finished_run_is_released_and_one_under_a_live_run_is_left_alone()
    {
        var failed = "train-nobody-0e0e0e0e";
        await Durable.ScheduleNewOrchestrationInstanceAsync(TrainPersonaOrchestrator.Name,
            new TrainPersonaInput("alice", "nobody", 1, new TrainingOptions(), 5),
            new StartOrchestrationOptions(failed));
        var ended = await Durable.WaitForInstanceCompletionAsync(failed);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, ended.RuntimeStatus);
        var waiting = "train-later-0f0f0f0f"; // scheduled to start in an hour: pending, so live
        await Durable.ScheduleNewOrchestrationInstanceAsync(TrainPersonaOrchestrator.Name,
            new TrainPersonaInput("alice", "later", 1, new TrainingOptions(), 5),
            new StartOrchestrationOptions(waiting, DateTimeOffset.UtcNow.AddHours(1)));
        var overRun = await StrandAsync("zqxstrandover", PersonaStatus.Validating, failed);
        var liveRun = await StrandAsync("zqxstrandlive", PersonaStatus.Training, waiting);

        await RepairAsync();

        Assert.Equal(PersonaStatus.Draft, (await Catalog.GetPersonaAsync("alice", overRun))!.Status);
        Assert.Equal(PersonaStatus.Training, (await Catalog.GetPersonaAsync("alice", liveRun))!.Status);
        await Durable.TerminateInstanceAsync(waiting);
    }

    [Fact]
    public async Task The_status_before_the_run_is_what_the_models_and_dataset_allow()
    {
        var draft = (await Catalog.GetPersonaAsync("alice", await PersonaApiTests.CreateAsync(_alice, "zqxbefore")))!;
        Assert.Equal(PersonaStatus.Draft, StrandedWorkRepair.Before(draft));
        var prepared = draft with { Dataset = new DatasetPackages("a", "b", "c", "d", 2, DateTimeOffset.UnixEpoch) };
        Assert.Equal(PersonaStatus.Prepared, StrandedWorkRepair.Before(prepared));
    }

    [Fact]
    public async Task A_deletion_whose_run_was_never_scheduled_is_scheduled()
    {
        var id = await PersonaApiTests.CreateAsync(_alice, "zqxstranddel");
        await Catalog.UpdatePersonaAsync("alice", id,
            p => p with { Status = PersonaStatus.Deleting, DeletionTicket = "0123456789abcdef" });

        Assert.Contains(id, await RepairAsync());
        await Eventually.GetAsync(async () => await Catalog.GetPersonaAsync("alice", id) is null ? "gone" : null,
            "the deletion to finish");
    }

    [Fact]
    public async Task A_post_left_generating_by_a_batch_run_that_does_not_exist_fails_with_the_reason()
    {
        var posts = host.App.Services.GetRequiredService<IPostCatalog>();
        var now = DateTimeOffset.UtcNow;
        var post = new Post("strandedpost0001", "alice", "nobatch00001", null, PostKind.Quote, SocialPlatform.X,
            new ContentBrief("t", "x"), 0.4, PostStatus.Generating, [], now);
        await posts.SavePostAsync(post);

        await using var scope = host.App.Services.CreateAsyncScope();
        var repaired = await scope.ServiceProvider.GetRequiredService<StrandedPostRepair>()
            .RunAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Contains(post.Id, repaired);
        var failed = (await posts.GetPostAsync("alice", post.Id))!;
        Assert.Equal(PostStatus.Failed, failed.Status);
        Assert.Contains("Generation stopped", failed.Error, StringComparison.Ordinal);
    }
}
