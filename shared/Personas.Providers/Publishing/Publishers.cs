using Personas.Domain.Posts;

namespace Personas.Providers.Publishing;

/// <summary>One owner's social accounts, under <c>Personas:Publishing:Accounts:{owner}:*</c>. Keep tokens in Key Vault references or user secrets.</summary>
public sealed class OwnerAccounts
{
    public string? InstagramUserId { get; set; }
    public string? InstagramToken { get; set; }
    /// <summary>urn:li:person:{id} or urn:li:organization:{id}.</summary>
    public string? LinkedInAuthor { get; set; }
    public string? LinkedInToken { get; set; }
    public string? XToken { get; set; }
    public string? AyrshareProfileKey { get; set; }
}

/// <summary>Publishing, under <c>Personas:Publishing:*</c> (README lists each setting).</summary>
public sealed class PublishingOptions
{
    public const string Section = "Personas:Publishing";

    /// <summary>Empty means {DataDir}/outbox.</summary>
    public string OutboxDir { get; set; } = "";
    public string OutboxWebhookUrl { get; set; } = "";
    public string AyrshareApiKey { get; set; } = "";
    public string AyrshareEndpoint { get; set; } = "https://api.ayrshare.com/";
    /// <summary>The operator's own X developer app, which Ayrshare requires for anything on X.</summary>
    public string AyrshareXApiKey { get; set; } = "";
    public string AyrshareXApiSecret { get; set; } = "";
    public string InstagramEndpoint { get; set; } = "https://graph.instagram.com/v24.0/";
    public string LinkedInEndpoint { get; set; } = "https://api.linkedin.com/";
    public string LinkedInVersion { get; set; } = "202508";
    public string XEndpoint { get; set; } = "https://api.x.com/";
    /// <summary>How long the call that makes a post visible may take before the attempt is settled by looking it up.</summary>
    public double CreateTimeoutSeconds { get; set; } = 30;
    internal TimeSpan CreateTimeout => TimeSpan.FromSeconds(CreateTimeoutSeconds);
    public Dictionary<string, OwnerAccounts> Accounts { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Picks the publisher for an owner and platform: the platform's own API when the owner has linked that account, else
/// Ayrshare when an Ayrshare key is set (with the owner's profile key, if any), else the local outbox.
/// </summary>
public sealed class Publishers(PublishingOptions options, HttpClient http, TimeProvider clock)
{
    public OutboxPublisher Outbox { get; } = new(http, new OutboxOptions
    {
        Directory = options.OutboxDir, WebhookUrl = string.IsNullOrWhiteSpace(options.OutboxWebhookUrl) ? null : new Uri(options.OutboxWebhookUrl),
    });

    public IPublisher For(string owner, SocialPlatform platform) => platform switch
    {
        SocialPlatform.Instagram when options.Instagram(owner) is { UserId.Length: > 0 } instagram =>
            new InstagramClient(http, instagram, clock),
        SocialPlatform.LinkedIn when options.LinkedIn(owner) is { } linkedIn => new LinkedInClient(http, linkedIn),
        SocialPlatform.X when options.X(owner) is { } x => new XClient(http, x),
        _ when options.Ayrshare(owner) is { } ayrshare => new AyrshareClient(http, ayrshare),
        _ => Outbox,
    };
}
