using Personas.Domain.Datasets;
using Personas.Imaging.Preparation;

namespace Personas.Functions.Tests.Datasets;

public sealed class CaptionTemplateTests
{
    /// <summary>
    /// What the photo gates measure (one frontal face, head-and-shoulders framing, an upright whole-person frame),
    /// and the words that join them. "plain background", "smiling" or "studio lighting" are not measured.
    /// </summary>
    private static readonly HashSet<string> Measured =
    [
        "a", "an", "of", "the", "with", "in", "and", "{0}", "{0}'s", "photo", "portrait", "headshot", "head",
        "shoulders", "frame", "facing", "camera", "full-body", "full-length", "full", "length", "body", "whole",
        "vertical",
    ];

    [Theory]
    [InlineData(PersonaMode.Portrait)]
    [InlineData(PersonaMode.FullBody)]
    public void Template_captions_state_only_what_the_gates_measured(PersonaMode mode)
    {
        foreach (var template in Captions.TemplatesFor(mode))
        {
            var unmeasured = template.Split(' ').Select(w => w.Trim(',')).Where(w => !Measured.Contains(w)).ToList();
            Assert.True(unmeasured.Count == 0,
                $"'{template}' claims {string.Join(", ", unmeasured)}, which nothing measured");
        }
        var captions = Captions.ForTemplates("zqxp", mode, "persona-1", 12);
        Assert.All(captions, c => Assert.Contains("zqxp", c.Text));
        Assert.True(captions.Select(c => c.Text).Distinct().Count() >= 6, "captions should still vary their wording");
    }
}
