using Personas.Domain.Stores;
using Personas.Domain.Training;
using static Personas.Azure.Tests.Catalog.CatalogSamples;

namespace Personas.Azure.Tests.Catalog;

/// <summary>Trained versions and the active one live in the persona's record, in every backend.</summary>
public abstract partial class CatalogContractTests
{
    private static PersonaModel Version(int number, bool passed, string? run) =>
        new(number, "dryrun", $"job-{number}", $"models/v{number}/lora.safetensors", [], new TrainingOptions(),
            Epoch.AddHours(number))
        {
            TrainingInstanceId = run,
            Validation = new ModelValidation("dryrun", 0.8, passed, "final", $"models/v{number}/lora.safetensors",
                passed ? "passed" : "failed",
                [new CandidateValidation("final", $"models/v{number}/lora.safetensors", new ValidationMetric(0.9, "f"),
                    new ValidationMetric(passed ? 0.85 : 0.2, "q"), ValidationMetric.Unavailable("t"),
                    ValidationMetric.Unavailable("c"),
                    [new ValidationImage("a headshot", 1234, "dryrun", $"validation/v{number}/0.jpg",
                        $"validation/v{number}/0-control.jpg", true, 80, 12)])]),
        };

    [Fact]
    public async Task Versions_and_the_active_one_read_back_as_written_and_go_with_the_persona()
    {
        var (owner, persona) = await NewPersonaAsync();
        var written = await Catalog.UpdatePersonaAsync(owner, persona, p => p with
        {
            Models = [Version(1, true, "train-1"), Version(2, false, "train-2"), Version(3, true, "train-3")],
            ActiveVersion = 1,
        });

        var read = await Catalog.GetPersonaAsync(owner, persona);
        Assert.Equal(Json(written), Json(read));
        Assert.Equal(1, read!.ActiveModel!.Version);
        Assert.Equal(["train-1", "train-2", "train-3"], read.Models.Select(m => m.TrainingInstanceId));
        Assert.Equal("validation/v2/0.jpg", read.Models[1].Validation!.Candidates[0].Images[0].Blob);

        await Catalog.DeletePersonaAsync(owner, persona, new AuditEntry(owner, persona, "persona.deleted", Epoch, ""));
        Assert.Null(await Catalog.GetPersonaAsync(owner, persona));
    }

    [Fact]
    public async Task A_persona_stored_before_versions_could_be_chosen_uses_its_newest_usable_version()
    {
        var (owner, persona) = await NewPersonaAsync();
        // What a persona trained before this change holds: versions without a run id, and no active version.
        await Catalog.UpdatePersonaAsync(owner, persona, p => p with
        {
            Models = [Version(1, true, null), Version(2, false, null)],
        });

        var read = (await Catalog.GetPersonaAsync(owner, persona))!;

        Assert.Null(read.ActiveVersion);
        Assert.Equal(1, read.ActiveModel!.Version);
        Assert.Equal(1, read.ModelFor(null)!.Version);
    }
}
