namespace Personas.Api.Hosting;

/// <summary>
/// Request limits, under <c>Personas:RateLimits:*</c>. Each limit is a number of requests per
/// <see cref="WindowSeconds"/>, kept as a token bucket: a burst up to the limit, then the limit's average rate.
/// The defaults are far above what a frontend sends; they stop floods, key guessing and runaway spending.
/// </summary>
public sealed class RateLimitSettings
{
    public const string Section = "Personas:RateLimits";

    /// <summary>False turns every limit off (the health probe is never limited anyway).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The period each limit below counts over, in seconds.</summary>
    public int WindowSeconds { get; set; } = 60;

    /// <summary>Authenticated requests per API key owner.</summary>
    public int PerOwner { get; set; } = 6000;

    /// <summary>Requests per owner to routes that spend money: train, dataset, photo import, generate-with-persona,
    /// generate-smart, regenerate and publish-now (single or bulk). Counted on top of <see cref="PerOwner"/>.</summary>
    public int PaidPerOwner { get; set; } = 60;

    /// <summary>Requests without an API key (signed downloads, unauthenticated calls) per client address.</summary>
    public int PerAddress { get; set; } = 1200;

    /// <summary>Requests with an API key that is not valid, per client address: guessing keys stops quickly.</summary>
    public int FailedAuthPerAddress { get; set; } = 30;

    /// <summary>Webhook deliveries per provider route (fal, replicate, jobs), whoever sends them.</summary>
    public int WebhooksPerProvider { get; set; } = 1200;

    /// <summary>
    /// A header that carries the client's address when a proxy sits in front (for example <c>X-Forwarded-For</c>;
    /// the last entry, the one the nearest proxy added, is used). Empty: the connection's own address. Set it only
    /// behind a proxy that writes the header, or a client could choose its own address.
    /// </summary>
    public string ClientAddressHeader { get; set; } = "";

    internal void Validate()
    {
        var limits = new (string Name, int Value)[]
        {
            (nameof(WindowSeconds), WindowSeconds), (nameof(PerOwner), PerOwner), (nameof(PaidPerOwner), PaidPerOwner),
            (nameof(PerAddress), PerAddress), (nameof(FailedAuthPerAddress), FailedAuthPerAddress),
            (nameof(WebhooksPerProvider), WebhooksPerProvider),
        };
        foreach (var (name, value) in limits.Where(l => l.Value < 1))
            throw new InvalidOperationException($"{Section}:{name} must be at least 1 (it is {value}).");
    }
}
