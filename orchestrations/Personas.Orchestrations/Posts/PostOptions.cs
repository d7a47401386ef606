namespace Personas.Orchestrations.Posts;

/// <summary>The post lifecycle's timing, under <c>Personas:Posts:*</c>.</summary>
public sealed class PostOptions
{
    public const string Section = "Personas:Posts";

    /// <summary>When to remind the owner of a post still waiting for approval.</summary>
    public double ReminderHours { get; set; } = 24;
    /// <summary>A post not approved or rejected by then expires and can no longer be published.</summary>
    public double ExpiryDays { get; set; } = 7;
    /// <summary>Optional: reminders are POSTed here as JSON as well as recorded on the post.</summary>
    public string NotificationWebhookUrl { get; set; } = "";
    /// <summary>The owner's IANA time zone for best-time slots, unless the request names one.</summary>
    public string TimeZone { get; set; } = "UTC";
    /// <summary>LoRA scale for persona images in posts.</summary>
    public double BlendStrength { get; set; } = 1.0;
}
