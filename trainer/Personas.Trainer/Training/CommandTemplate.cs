using System.Text.RegularExpressions;
using Personas.Trainer.Options;

namespace Personas.Trainer.Training;

/// <summary>
/// Fills the trainer command's placeholders, each shell-quoted: {configFile}, {datasetDir}, {outputDir}, {steps},
/// {triggerWord}, {mode}, {learningRate}, {rank}, {resolution}, {checkpointEvery}, {runId}. An unknown placeholder is
/// an error, so a typo in PERSONAS_TRAINER_COMMAND fails at once instead of training with a literal "{stpes}".
/// </summary>
public static partial class CommandTemplate
{
    /// <exception cref="TrainerSettingsException">The template names a placeholder that does not exist.</exception>
    public static string Fill(string template, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var value)
            ? Quote(value)
            : throw new TrainerSettingsException([
                $"PERSONAS_TRAINER_COMMAND has an unknown placeholder {m.Value}; known: " +
                string.Join(", ", values.Keys.Select(k => "{" + k + "}")) + "."]));

    /// <summary>Single quotes for /bin/sh, with embedded quotes closed, escaped and reopened.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"\{([A-Za-z]+)\}")]
    private static partial Regex Placeholder();
}
