namespace Personas.Api.Generations;

/// <summary>Image generation, under <c>Personas:Generation:*</c>.</summary>
public sealed class GenerationSettings
{
    public const string Section = "Personas:Generation";

    /// <summary>fal.ai's LoRA inference model.</summary>
    public string FalModel { get; set; } = "fal-ai/flux-lora";

    /// <summary>Estimated price per image, in USD, by provider. Unlisted providers (the dry run) cost 0.</summary>
    public string PricePerImageUsd { get; set; } = "fal=0.035;replicate=0.03";

    /// <summary>How long one image may take at the provider before it is abandoned. Default 300 s.</summary>
    public double TimeoutSeconds { get; set; } = 300;

    /// <summary>How often an unfinished image is polled. Default 1 s.</summary>
    public double PollSeconds { get; set; } = 1;
}
