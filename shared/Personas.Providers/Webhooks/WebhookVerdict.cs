namespace Personas.Providers.Webhooks;

/// <summary>
/// The outcome of checking a webhook's signature. <see cref="DeliveryId"/> identifies the delivery, so a retried
/// delivery can be recognised and applied once. <see cref="RetryAfter"/> is set when the signature could not be
/// checked at all (the provider's keys are unavailable): the sender should retry, not be told it is forged.
/// </summary>
public sealed record WebhookVerdict(bool Valid, string? Problem, string? DeliveryId, TimeSpan? RetryAfter = null)
{
    public static WebhookVerdict Accept(string deliveryId) => new(true, null, deliveryId);
    public static WebhookVerdict Reject(string problem) => new(false, problem, null);

    public static WebhookVerdict Unavailable(string problem, TimeSpan retryAfter) =>
        new(false, problem, null, retryAfter);

    /// <summary>A signature older or newer than this is refused, against replays (300 s in both providers' guidance).</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(300);

    internal static string? TimestampProblem(string? timestamp, TimeProvider clock)
    {
        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            return "The webhook timestamp is missing or not a number.";
        var skew = Math.Abs(clock.GetUtcNow().ToUnixTimeSeconds() - seconds);
        return skew > Tolerance.TotalSeconds ? $"The webhook timestamp is {skew} s away from now; at most {Tolerance.TotalSeconds:0} s is accepted." : null;
    }
}
