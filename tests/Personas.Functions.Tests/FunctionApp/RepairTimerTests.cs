using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Personas.Api.Recovery;
using Personas.Domain.Personas;
using Personas.Domain.Posts;
using Personas.Domain.Stores;
using Personas.Functions.Timers;
using Personas.Imaging.Preparation;

namespace Personas.Functions.Tests.FunctionApp;

/// <summary>
/// The Function App repairs stranded work on a timer (it has no start-up moment): with the binding's Durable client,
/// and only for what has been left unchanged for the configured wait.
/// </summary>
public sealed class RepairTimerTests : IAsyncLifetime
{
    private readonly Mock<DurableTaskClient> _durable = new("functions-binding"); // knows no instance
    private FunctionAppTestHost _host = null!;

    public async Task InitializeAsync() => _host = await FunctionAppTestHost.StartAsync(
        new Dictionary<string, string?> { ["Personas:Recovery:StrandedMinutes"] = "15" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<string> StrandAsync(string id, TimeSpan unchangedFor)
    {
        var at = DateTimeOffset.UtcNow - unchangedFor;
        var persona = new Persona
        {
            Id = id, Owner = "alice", Name = id, TriggerWord = "zqx" + id, Mode = PersonaMode.Portrait,
            Consent = new Consent(true, true, true, true, new ConsentRestrictions(), at, null, null),
            Status = PersonaStatus.Training, TrainingInstanceId = $"train-{id}-0d0d0d0d", CreatedAt = at,
            UpdatedAt = at,
        };
        Assert.True(await _host.Services.GetRequiredService<ICatalog>().TryCreatePersonaAsync(persona));
        return id;
    }

    private async Task InvokeAsync()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var context = new Mock<FunctionContext>();
        context.Setup(c => c.InstanceServices).Returns(scope.ServiceProvider);
        await new RepairTimer(_host.Services.GetRequiredService<RecoverySettings>())
            .RepairStrandedWork(new TimerInfo(), _durable.Object, context.Object);
    }

    [Fact]
    public async Task A_persona_stranded_longer_than_the_wait_is_released_and_a_recent_one_is_left_for_later()
    {
        var old = await StrandAsync("strandedold01", TimeSpan.FromMinutes(20));
        var recent = await StrandAsync("strandednew01", TimeSpan.FromMinutes(1));

        await InvokeAsync();

        var catalog = _host.Services.GetRequiredService<ICatalog>();
        var released = (await catalog.GetPersonaAsync("alice", old))!;
        Assert.Equal(PersonaStatus.Draft, released.Status);
        Assert.Contains("stopped without finishing", released.StatusReason, StringComparison.Ordinal);
        Assert.Equal(PersonaStatus.Training, (await catalog.GetPersonaAsync("alice", recent))!.Status);
        // The binding's client is the one asked whether the run still exists.
        _durable.Verify(d => d.GetInstanceAsync($"train-{old}-0d0d0d0d", false, It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task A_post_left_generating_longer_than_the_wait_fails_and_one_just_written_is_left_alone()
    {
        // A request writes its posts (Generating) just before it schedules their run: a sweep then must not fail them.
        var posts = _host.Services.GetRequiredService<IPostCatalog>();
        Post Generating(string id, TimeSpan age) => new(id, "alice", "nobatch" + id, null, PostKind.Quote,
            SocialPlatform.X, new ContentBrief("t", "x"), 0.4, PostStatus.Generating, [], DateTimeOffset.UtcNow - age);
        await posts.SavePostAsync(Generating("oldpost00001", TimeSpan.FromMinutes(20)));
        await posts.SavePostAsync(Generating("newpost00001", TimeSpan.Zero));

        await InvokeAsync();

        Assert.Equal(PostStatus.Failed, (await posts.GetPostAsync("alice", "oldpost00001"))!.Status);
        Assert.Equal(PostStatus.Generating, (await posts.GetPostAsync("alice", "newpost00001"))!.Status);
    }

    [Fact]
    public void The_timer_is_indexed_with_its_schedule_and_a_durable_client()
    {
        var function = JsonNode.Parse(File.ReadAllText(FunctionAppOutput.MetadataPath))!.AsArray()
            .Select(f => f!.AsObject()).Single(f => f["name"]!.GetValue<string>() == "RepairStrandedWork");
        var bindings = function["bindings"]!.AsArray().Select(b => b!.AsObject()).ToList();
        var timer = bindings.Single(b => b["type"]!.GetValue<string>() == "timerTrigger");
        Assert.Equal(RepairTimer.Schedule, timer["schedule"]!.GetValue<string>());
        Assert.Contains(bindings, b => b["type"]!.GetValue<string>() == "durableClient");
    }
}
