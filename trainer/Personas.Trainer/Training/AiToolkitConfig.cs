using System.Globalization;
using System.Text;
using Personas.Trainer.Options;

namespace Personas.Trainer.Training;

/// <summary>
/// The ai-toolkit job file for a FLUX.1-dev LoRA (the default trainer). ai-toolkit writes
/// <c>{outputDir}/{name}/{name}.safetensors</c> and step-numbered checkpoints beside it, so the run is named after
/// the output file. Values are our own validated settings; strings are quoted as YAML.
/// </summary>
public static class AiToolkitConfig
{
    public const string BaseModel = "black-forest-labs/FLUX.1-dev";

    public static string For(TrainerSettings settings, string datasetDir, string outputDir)
    {
        var rank = settings.Rank ?? 16;
        var resolution = settings.Resolution ?? (settings.Mode == "fullbody" ? 1024 : 768);
        var saveEvery = settings.CheckpointEvery ?? Math.Max(settings.Steps / 4, 1);
        var name = Path.GetFileNameWithoutExtension(settings.OutputName);
        var lr = (settings.LearningRate ?? 4e-4).ToString("R", CultureInfo.InvariantCulture);
        var yaml = new StringBuilder();
        yaml.AppendLine("job: extension");
        yaml.AppendLine("config:");
        yaml.AppendLine($"  name: {Quoted(name)}");
        yaml.AppendLine("  process:");
        yaml.AppendLine("    - type: sd_trainer");
        yaml.AppendLine($"      training_folder: {Quoted(outputDir)}");
        yaml.AppendLine("      device: cuda:0");
        yaml.AppendLine($"      trigger_word: {Quoted(settings.TriggerWord)}");
        yaml.AppendLine($"      network: {{ type: lora, linear: {rank}, linear_alpha: {rank} }}");
        yaml.AppendLine($"      save: {{ dtype: float16, save_every: {saveEvery}, max_step_saves_to_keep: 4 }}");
        yaml.AppendLine("      datasets:");
        yaml.AppendLine($"        - folder_path: {Quoted(datasetDir)}");
        yaml.AppendLine("          caption_ext: txt");
        yaml.AppendLine("          caption_dropout_rate: 0.05");
        yaml.AppendLine("          cache_latents_to_disk: true");
        yaml.AppendLine($"          resolution: [{resolution}]");
        yaml.AppendLine("      train:");
        yaml.AppendLine("        batch_size: 1");
        yaml.AppendLine($"        steps: {settings.Steps}");
        yaml.AppendLine("        gradient_accumulation_steps: 1");
        yaml.AppendLine("        train_unet: true");
        yaml.AppendLine("        train_text_encoder: false");
        yaml.AppendLine("        gradient_checkpointing: true");
        yaml.AppendLine("        noise_scheduler: flowmatch");
        yaml.AppendLine("        optimizer: adamw8bit");
        yaml.AppendLine($"        lr: {lr}");
        yaml.AppendLine("        dtype: bf16");
        yaml.AppendLine("      model:");
        yaml.AppendLine($"        name_or_path: {Quoted(BaseModel)}");
        yaml.AppendLine("        is_flux: true");
        yaml.AppendLine("        quantize: true");
        return yaml.ToString();
    }

    private static string Quoted(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
