using Personas.Domain.Training;
using static Personas.Azure.Tests.Catalog.CatalogSamples;

namespace Personas.Azure.Tests.Catalog;

public abstract partial class CatalogContractTests
{
    [Fact]
    public async Task Saving_a_generation_again_replaces_it()
    {
        var (owner, persona) = await NewPersonaAsync();
        var later = Generation(owner, persona, minute: 9);
        var earlier = Generation(owner, persona, minute: 1, seed: long.MaxValue - 11);
        await Catalog.SaveGenerationAsync(later);
        await Catalog.SaveGenerationAsync(earlier);

        await Catalog.SaveGenerationAsync(later with { Prompt = "a better portrait" });

        Assert.Equal("a better portrait", (await Catalog.GetGenerationAsync(owner, later.Id))!.Prompt);
        var listed = await Catalog.ListGenerationsAsync(owner, persona);
        Assert.Equal([earlier.Id, later.Id], listed.Select(g => g.Id));
        Assert.Equal(Json(earlier), Json(listed[0]));
        Assert.Null(await Catalog.GetGenerationAsync(NewOwner(), later.Id));
        Assert.Empty(await Catalog.ListGenerationsAsync(NewOwner(), persona));
    }

    [Fact]
    public async Task Costs_add_up_exactly_per_persona_and_per_owner()
    {
        var owner = NewOwner();
        await Catalog.RecordCostAsync(Cost(owner, "persona-a", 0.1m, minute: 1));
        await Catalog.RecordCostAsync(Cost(owner, "persona-a", 0.2m, minute: 2));
        await Catalog.RecordCostAsync(Cost(owner, "persona-b", 0.35m, minute: 3));
        await Catalog.RecordCostAsync(Cost(NewOwner(), "persona-a", 100m));

        Assert.Equal(0.65m, await Catalog.OwnerSpentUsdAsync(owner));
        Assert.Equal([0.1m, 0.2m], (await Catalog.ListCostsAsync(owner, "persona-a")).Select(c => c.EstimatedUsd));
        Assert.Equal(0m, await Catalog.OwnerSpentUsdAsync(NewOwner()));
    }

    [Fact]
    public async Task A_provider_job_is_found_by_provider_and_job_id_alone()
    {
        var owner = NewOwner();
        var link = new ProviderJobLink("replicate", NewId("job"), owner, "persona-a", "instance-1");
        await Catalog.RecordProviderJobAsync(link);
        await Catalog.RecordProviderJobAsync(link);

        Assert.Equal(link, await Catalog.FindProviderJobAsync("replicate", link.JobId));
        Assert.Null(await Catalog.FindProviderJobAsync("fal", link.JobId));
        Assert.Equal([link], await Catalog.ListProviderJobsAsync(owner, "persona-a"));
        Assert.Empty(await Catalog.ListProviderJobsAsync(NewOwner(), "persona-a"));
    }
}
