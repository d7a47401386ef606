namespace Personas.Providers.Publishing;

/// <summary>
/// The client options for an owner's linked accounts, made in one place for the publishers and for the metrics
/// clients that read back what they published: the same account, token and endpoint. Null when the account is not
/// linked.
/// </summary>
public static class AccountOptions
{
    /// <summary>The Instagram token; the user id too when linked (publishing needs it, insights do not).</summary>
    public static InstagramClientOptions? Instagram(this PublishingOptions options, string owner) =>
        options.Accounts.GetValueOrDefault(owner) is { InstagramToken: { Length: > 0 } token } accounts
            ? new InstagramClientOptions
            {
                UserId = accounts.InstagramUserId ?? "", AccessToken = token,
                Endpoint = new Uri(options.InstagramEndpoint), CreateTimeout = options.CreateTimeout,
            }
            : null;

    public static LinkedInClientOptions? LinkedIn(this PublishingOptions options, string owner) =>
        options.Accounts.GetValueOrDefault(owner) is
            { LinkedInAuthor: { Length: > 0 } author, LinkedInToken: { Length: > 0 } token }
            ? new LinkedInClientOptions
            {
                AuthorUrn = author, AccessToken = token, Version = options.LinkedInVersion,
                Endpoint = new Uri(options.LinkedInEndpoint), CreateTimeout = options.CreateTimeout,
            }
            : null;

    public static XClientOptions? X(this PublishingOptions options, string owner) =>
        options.Accounts.GetValueOrDefault(owner) is { XToken: { Length: > 0 } token }
            ? new XClientOptions
            {
                UserToken = token, Endpoint = new Uri(options.XEndpoint), CreateTimeout = options.CreateTimeout,
            }
            : null;

    /// <summary>The operator's Ayrshare key with the owner's profile key, if any.</summary>
    public static AyrshareClientOptions? Ayrshare(this PublishingOptions options, string owner) =>
        options.AyrshareApiKey.Length > 0
            ? new AyrshareClientOptions
            {
                ApiKey = options.AyrshareApiKey,
                ProfileKey = options.Accounts.GetValueOrDefault(owner)?.AyrshareProfileKey,
                XKeys = AyrshareXKeys.From(options.AyrshareXApiKey, options.AyrshareXApiSecret),
                Endpoint = new Uri(options.AyrshareEndpoint), CreateTimeout = options.CreateTimeout,
            }
            : null;
}
