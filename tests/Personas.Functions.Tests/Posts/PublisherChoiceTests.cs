using Personas.Domain.Posts;
using Personas.Providers.Analytics;
using Personas.Providers.Publishing;

namespace Personas.Functions.Tests.Posts;

/// <summary>Which client an owner's linked accounts pick, for publishing and for reading metrics back.</summary>
public sealed class PublisherChoiceTests
{
    private static PublishingOptions Options(bool ayrshare) => new()
    {
        AyrshareApiKey = ayrshare ? "ay-key" : "",
        Accounts = new(StringComparer.Ordinal)
        {
            ["linked"] = new()
            {
                InstagramUserId = "17841", InstagramToken = "ig", LinkedInAuthor = "urn:li:person:1",
                LinkedInToken = "li", XToken = "x",
            },
            ["token-only"] = new() { InstagramToken = "ig" },
        },
    };

    [Theory]
    [InlineData("linked", SocialPlatform.Instagram, true, "instagram")]
    [InlineData("linked", SocialPlatform.LinkedIn, false, "linkedin")]
    [InlineData("linked", SocialPlatform.X, true, "x")]
    [InlineData("token-only", SocialPlatform.Instagram, true, "ayrshare")] // publishing needs the user id
    [InlineData("token-only", SocialPlatform.Instagram, false, "outbox")]
    [InlineData("nobody", SocialPlatform.LinkedIn, true, "ayrshare")]
    [InlineData("nobody", SocialPlatform.X, false, "outbox")]
    public void An_owner_publishes_through_their_own_account_else_ayrshare_else_the_outbox(string owner,
        SocialPlatform platform, bool ayrshare, string expected)
    {
        var publishers = new Publishers(Options(ayrshare), new HttpClient(), TimeProvider.System);

        Assert.Equal(expected, publishers.For(owner, platform).Name);
    }

    [Theory]
    [InlineData("linked", "instagram", false, "instagram")]
    [InlineData("token-only", "instagram", false, "instagram")] // insights need only the token
    [InlineData("linked", "linkedin", false, "linkedin")]
    [InlineData("linked", "x", false, "x")]
    [InlineData("nobody", "x", false, null)]
    [InlineData("nobody", "ayrshare", true, "ayrshare")]
    [InlineData("nobody", "ayrshare", false, null)]
    [InlineData("nobody", "outbox", false, "outbox")]
    public void Metrics_are_read_from_the_publisher_that_made_the_post_with_the_same_account(string owner,
        string publisher, bool ayrshare, string? expected)
    {
        var clients = new MetricsClients(Options(ayrshare), new HttpClient());

        Assert.Equal(expected, clients.For(owner, publisher)?.Name);
    }
}
