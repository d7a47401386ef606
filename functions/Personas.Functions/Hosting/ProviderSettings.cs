namespace Personas.Functions.Hosting;

/// <summary>fal.ai, under <c>Personas:Fal:*</c>. Configured when <see cref="Key"/> is set.</summary>
public sealed class FalSettings
{
    public const string Section = "Personas:Fal";

    /// <summary>fal.ai API key (sent as <c>Authorization: Key …</c>). Empty: fal.ai is not used.</summary>
    public string Key { get; set; } = "";

    public string QueueEndpoint { get; set; } = "https://queue.fal.run/";

    public string PortraitModel { get; set; } = "fal-ai/flux-lora-portrait-trainer";

    public string FullBodyModel { get; set; } = "fal-ai/flux-lora-fast-training";

    /// <summary>Seconds before the first status poll of a training (webhooks usually come first); later polls back off to 2 minutes.</summary>
    public double FirstPollSeconds { get; set; } = 15;

    /// <summary>Where fal publishes its webhook-signing keys.</summary>
    public string JwksUrl { get; set; } = "https://rest.alpha.fal.ai/.well-known/jwks.json";
}
