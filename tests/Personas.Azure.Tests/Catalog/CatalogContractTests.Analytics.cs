using Personas.Domain.Posts;
using Personas.Domain.Stores;
using static Personas.Azure.Tests.Catalog.CatalogSamples;

namespace Personas.Azure.Tests.Catalog;

public abstract partial class CatalogContractTests
{
    private IAnalyticsCatalog Analytics => (IAnalyticsCatalog)Catalog;

    [Fact]
    public async Task A_sample_taken_again_replaces_the_one_at_the_same_offset()
    {
        var (owner, persona) = await NewPersonaAsync();
        var post = NewId("post");
        await Analytics.SaveSampleAsync(Sample(owner, post, persona, 24, likes: 3));
        await Analytics.SaveSampleAsync(Sample(owner, post, persona, 1, likes: 1));

        await Analytics.SaveSampleAsync(Sample(owner, post, persona, 24, likes: 7));

        var samples = await Analytics.ListPostSamplesAsync(owner, post);
        Assert.Equal([(1d, 1L), (24d, 7L)], samples.Select(s => (s.AfterHours, s.Counts.Likes ?? 0)));
        Assert.Empty(await Analytics.ListPostSamplesAsync(NewOwner(), post));
    }

    [Fact]
    public async Task Samples_list_per_persona_and_per_platform_and_go_with_the_persona()
    {
        var (owner, persona) = await NewPersonaAsync();
        var (first, second, plain) = (NewId("post"), NewId("post"), NewId("post"));
        await Analytics.SaveSampleAsync(Sample(owner, second, persona, 1));
        await Analytics.SaveSampleAsync(Sample(owner, first, persona, 0.5));
        await Analytics.SaveSampleAsync(Sample(owner, plain, null, 1, platform: SocialPlatform.LinkedIn));

        Assert.Equal([first, second], (await Analytics.ListPersonaSamplesAsync(owner, persona)).Select(s => s.PostId));
        Assert.Equal([plain], (await Analytics.ListPlatformSamplesAsync(owner, SocialPlatform.LinkedIn))
            .Select(s => s.PostId));

        await Catalog.DeletePersonaAsync(owner, persona, new AuditEntry(owner, persona, "persona.deleted", Epoch, ""));

        Assert.Empty(await Analytics.ListPersonaSamplesAsync(owner, persona));
        Assert.Single(await Analytics.ListPlatformSamplesAsync(owner, SocialPlatform.LinkedIn));
    }
}
