using System.Globalization;
using System.Text.RegularExpressions;

namespace Personas.Trainer.Options;

/// <summary>
/// Everything the agent reads from its env (docs/training.md, "Job callback contract", plus the image's own
/// <c>PERSONAS_*</c> settings; trainer/README.md lists them with their defaults).
/// </summary>
public sealed partial record TrainerSettings
{
    /// <summary>ai-toolkit reading the job file the agent writes (trainer/Dockerfile installs it there).</summary>
    public const string DefaultCommand = "cd /opt/ai-toolkit && python3 run.py {configFile}";

    public required string RunId { get; init; }
    public required Uri DatasetUrl { get; init; }
    public required string TriggerWord { get; init; }
    public required string Mode { get; init; }
    public required int Steps { get; init; }
    public double? LearningRate { get; init; }
    public int? Rank { get; init; }
    public int? Resolution { get; init; }
    public int? CheckpointEvery { get; init; }
    public required Uri CallbackUrl { get; init; }
    public required string CallbackSecret { get; init; }
    /// <summary>A Blob Storage container URL, with a SAS or (without one) reached by managed identity.</summary>
    public required Uri ArtifactsUrl { get; init; }
    public string TrainerCommand { get; init; } = DefaultCommand;
    public required string WorkDir { get; init; }
    /// <summary>The file the trainer writes as its final LoRA; other .safetensors files are checkpoints.</summary>
    public string OutputName { get; init; } = "lora.safetensors";
    public long MaxDatasetBytes { get; init; } = 512L * 1024 * 1024;
    public int MaxDatasetFiles { get; init; } = 400;
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan ArtifactLinkLifetime { get; init; } = TimeSpan.FromHours(6);
    /// <summary>Tests and local development only: plain http to 127.0.0.1/localhost (emulators).</summary>
    public bool AllowLoopbackHttp { get; init; }

    /// <summary>Reads and checks the env; every problem is reported at once, none with a secret in it.</summary>
    /// <exception cref="TrainerSettingsException">A variable is missing or invalid.</exception>
    public static TrainerSettings FromEnvironment(IReadOnlyDictionary<string, string> env)
    {
        var reader = new EnvReader(env);
        var allowLoopback = reader.Flag("PERSONAS_ALLOW_LOOPBACK_HTTP");
        var settings = new TrainerSettings
        {
            RunId = reader.Required("PERSONAS_RUN_ID", RunIdPattern(), "letters, digits, '.', '_' or '-' (1-128)"),
            DatasetUrl = reader.Url("PERSONAS_DATASET_URL", allowLoopback),
            TriggerWord = reader.Required("PERSONAS_TRIGGER_WORD", TriggerPattern(), "letters and digits (1-64)"),
            Mode = reader.Optional("PERSONAS_MODE", ModePattern(), "portrait or fullbody") ?? "portrait",
            Steps = reader.Text("PERSONAS_STEPS") is null ? reader.Missing("PERSONAS_STEPS", 0)
                : reader.Int("PERSONAS_STEPS", 1, 100_000) ?? 0,
            LearningRate = reader.Double("PERSONAS_LEARNING_RATE", 1e-7, 1),
            Rank = reader.Int("PERSONAS_RANK", 1, 256),
            Resolution = reader.Int("PERSONAS_RESOLUTION", 256, 4096),
            CheckpointEvery = reader.Int("PERSONAS_CHECKPOINT_EVERY", 1, 100_000),
            CallbackUrl = reader.Url("PERSONAS_CALLBACK_URL", allowLoopback),
            CallbackSecret = reader.Secret("PERSONAS_CALLBACK_SECRET"),
            ArtifactsUrl = reader.Url("PERSONAS_ARTIFACTS_URL", allowLoopback),
            TrainerCommand = reader.Text("PERSONAS_TRAINER_COMMAND") ?? DefaultCommand,
            WorkDir = reader.Text("PERSONAS_WORK_DIR") ?? Path.Combine(Path.GetTempPath(), "personas-trainer"),
            OutputName = reader.Optional("PERSONAS_OUTPUT_NAME", OutputNamePattern(), "a .safetensors file name")
                ?? "lora.safetensors",
            MaxDatasetBytes = (reader.Int("PERSONAS_MAX_DATASET_MB", 1, 16_384) ?? 512) * 1024L * 1024,
            MaxDatasetFiles = reader.Int("PERSONAS_MAX_DATASET_FILES", 2, 10_000) ?? 400,
            ProgressInterval = TimeSpan.FromSeconds(reader.Double("PERSONAS_PROGRESS_INTERVAL_SECONDS", 0, 3600) ?? 15),
            ArtifactLinkLifetime = TimeSpan.FromHours(reader.Double("PERSONAS_ARTIFACT_LINK_HOURS", 0.1, 168) ?? 6),
            AllowLoopbackHttp = allowLoopback,
        };
        if (reader.Problems.Count > 0) throw new TrainerSettingsException(reader.Problems);
        return settings;
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,128}$")] private static partial Regex RunIdPattern();
    [GeneratedRegex(@"^[A-Za-z0-9]{1,64}$")] private static partial Regex TriggerPattern();
    [GeneratedRegex(@"^(portrait|fullbody)$")] private static partial Regex ModePattern();
    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,100}\.safetensors$")] private static partial Regex OutputNamePattern();

    /// <summary>Reads one variable at a time and collects what is wrong with each.</summary>
    private sealed class EnvReader(IReadOnlyDictionary<string, string> env)
    {
        public List<string> Problems { get; } = [];

        public string? Text(string name) => env.TryGetValue(name, out var value) && value.Trim().Length > 0
            ? value.Trim() : null;

        public T Missing<T>(string name, T placeholder)
        {
            Problems.Add($"{name} is required.");
            return placeholder;
        }

        public string Required(string name, Regex pattern, string expected) =>
            Optional(name, pattern, expected) ?? (Text(name) is null ? Missing(name, "") : "");

        public string? Optional(string name, Regex pattern, string expected)
        {
            if (Text(name) is not { } value) return null;
            if (pattern.IsMatch(value)) return value;
            Problems.Add($"{name} must be {expected}.");
            return null;
        }

        public string Secret(string name) => Text(name) ?? Missing(name, "");

        public bool Flag(string name) =>
            Text(name) is { } value && (value == "1" || bool.TryParse(value, out var on) && on);

        public int? Int(string name, int min, int max)
        {
            if (Text(name) is not { } value) return null;
            if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
                && n >= min && n <= max)
                return n;
            Problems.Add($"{name} must be a whole number from {min} to {max}.");
            return null;
        }

        public double? Double(string name, double min, double max)
        {
            if (Text(name) is not { } value) return null;
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                && n >= min && n <= max)
                return n;
            Problems.Add($"{name} must be a number from {min.ToString(CultureInfo.InvariantCulture)} to " +
                $"{max.ToString(CultureInfo.InvariantCulture)}.");
            return null;
        }

        /// <summary>An absolute https URL (or loopback http when allowed). Only its host is ever quoted.</summary>
        public Uri Url(string name, bool allowLoopbackHttp)
        {
            var placeholder = new Uri("https://invalid.invalid/");
            if (Text(name) is not { } value) return Missing(name, placeholder);
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            {
                Problems.Add($"{name} must be an absolute https URL.");
                return placeholder;
            }
            if (uri.Scheme == Uri.UriSchemeHttps || allowLoopbackHttp && uri.IsLoopback) return uri;
            Problems.Add($"{name} must be https (http://{uri.Host} is refused; PERSONAS_ALLOW_LOOPBACK_HTTP=true " +
                "allows loopback http for tests and development).");
            return placeholder;
        }
    }
}

/// <summary>The env is incomplete or wrong; the message lists each problem.</summary>
public sealed class TrainerSettingsException(IReadOnlyList<string> problems)
    : Exception("The trainer's environment is invalid: " + string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
