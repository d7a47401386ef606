namespace Personas.Orchestrations.Training;

/// <summary>How a trained version is validated, under <c>Personas:Validation:*</c> (docs/training.md, "Validation").</summary>
public sealed class ValidationOptions
{
    public const string Section = "Personas:Validation";

    /// <summary>Off: a trained version is ready without generating anything (no image costs).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Each available score (0–1) must reach this for the persona to become ready.</summary>
    public double Gate { get; set; } = 0.8;

    /// <summary>Validation prompts, separated by '|'; <c>{trigger}</c> becomes the persona's trigger word.</summary>
    public string Prompts { get; set; } =
        "a professional headshot of {trigger}, studio lighting, neutral background|a casual portrait of {trigger} outdoors, natural light, smiling|{trigger} speaking at a conference, on stage, looking at the audience";

    /// <summary>The LoRA scale validation renders at.</summary>
    public double BlendStrength { get; set; } = 1.0;

    /// <summary>The first prompt's seed; prompt i uses Seed + i, so a validation can be repeated exactly.</summary>
    public long Seed { get; set; } = 1234;

    /// <summary>How many of the 64 face-hash bits must differ from the LoRA-free control for the trigger to count as effective.</summary>
    public int MinFaceChangeBits { get; set; } = 10;

    public IReadOnlyList<string> PromptList => Prompts.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
