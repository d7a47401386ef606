namespace Personas.Api.FaceSwap;

/// <summary>The optional face-swap step (<c>faceSwap: true</c>), under <c>Personas:FaceSwap:*</c>.</summary>
public sealed class FaceSwapSettings
{
    public const string Section = "Personas:FaceSwap";

    /// <summary>
    /// <c>fal</c> or <c>replicate</c>; empty: fal.ai when its key is set, else Replicate, else the dry run.
    /// </summary>
    public string Provider { get; set; } = "";

    /// <summary>
    /// fal.ai's face-swap model: input <c>base_image_url</c> and <c>swap_image_url</c>, output <c>image</c>.
    /// </summary>
    public string FalModel { get; set; } = "fal-ai/face-swap";

    /// <summary>
    /// The Replicate model version to run: by default cdingram/face-swap (input <c>input_image</c> and
    /// <c>swap_image</c>, output one image URI), at the version its published API reference names.
    /// </summary>
    public string ReplicateVersion { get; set; } = "d1d6ea8c8be89d664a07a457526f7128109dee7030fdac424788d762c71ed111";

    /// <summary>Estimated price per swap, in USD, by provider (estimates; the dry run costs 0).</summary>
    public string PricePerSwapUsd { get; set; } = "fal=0.01;replicate=0.003";
}
