using System.Globalization;
using System.Text.RegularExpressions;

namespace Personas.Trainer.Training;

/// <summary>
/// Finds <c>step/total</c> in a trainer's output line (the tqdm bars of ai-toolkit and sd-scripts print
/// <c>300/1200</c>). Only a fraction whose total is the run's step count counts, so an epoch counter or a date in
/// the same line is not taken for progress; the last such fraction in the line wins.
/// </summary>
public sealed partial class ProgressParser(int totalSteps)
{
    public int? StepIn(string line)
    {
        int? step = null;
        foreach (Match match in Fraction().Matches(line))
            if (int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var total)
                && total == totalSteps
                && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var done)
                && done <= total)
                step = done;
        return step;
    }

    [GeneratedRegex(@"(?<![\d/])(\d{1,9})\s*/\s*(\d{1,9})(?![\d/])")]
    private static partial Regex Fraction();
}
