using Microsoft.DurableTask;
using Moq;
using Personas.Domain.Personas;
using Personas.Orchestrations.Dataset;

namespace Personas.Functions.Tests.Datasets;

/// <summary>
/// Who owns the persona's status when a dataset is made: a dataset run of its own says Prepared; one made inside a
/// training run leaves the status to that run, so nobody following the persona sees it "finish" mid-training.
/// </summary>
public sealed class PrepareDatasetStatusTests
{
    [Theory]
    [InlineData(true, PersonaStatus.Prepared)]
    [InlineData(false, null)]
    public async Task The_dataset_is_stored_with_a_status_only_when_the_run_claimed_the_persona(bool claim,
        PersonaStatus? expected)
    {
        var packages = new DatasetPackages("fal.zip", "replicate.zip", "kohya", "kohya/dataset.toml", 2,
            DateTimeOffset.UnixEpoch);
        var statuses = new List<SetPersonaStatusInput>();
        var context = new Mock<TaskOrchestrationContext> { CallBase = true }; // the untyped call goes to <object>
        context.Setup(c => c.CallActivityAsync<object>(It.IsAny<TaskName>(), It.IsAny<object?>(),
                It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((name, input, _) =>
            {
                if (input is SetPersonaStatusInput status) statuses.Add(status);
            })
            .ReturnsAsync((object)true);
        context.Setup(c => c.CallActivityAsync<IReadOnlyList<string>>(It.IsAny<TaskName>(), It.IsAny<object?>(),
                It.IsAny<TaskOptions?>()))
            .ReturnsAsync(["photo-1", "photo-2"]);
        context.Setup(c => c.CallActivityAsync<string>(It.IsAny<TaskName>(), It.IsAny<object?>(),
                It.IsAny<TaskOptions?>()))
            .ReturnsAsync("framed.jpg");
        context.Setup(c => c.CallActivityAsync<DatasetPackages>(It.IsAny<TaskName>(), It.IsAny<object?>(),
                It.IsAny<TaskOptions?>()))
            .ReturnsAsync(packages);

        var made = await new PrepareDatasetOrchestrator().RunAsync(context.Object,
            new PrepareDatasetInput("alice", "per_1", Claim: claim));

        Assert.Same(packages, made);
        var stored = Assert.Single(statuses);
        Assert.Equal(expected, stored.Status);
        Assert.Same(packages, stored.Dataset);
    }
}
