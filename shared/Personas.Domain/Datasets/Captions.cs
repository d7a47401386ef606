using System.Security.Cryptography;
using System.Text;
using Personas.Imaging.Preparation;

namespace Personas.Domain.Datasets;

public sealed record Caption(string Text, string Source);

/// <summary>
/// Training captions around the trigger word. Varied phrasing keeps the LoRA from tying the person to one wording,
/// and the order is shuffled per persona, deterministically, so a rerun writes the same set.
/// </summary>
public static class Captions
{
    public const string TemplateSource = "template";

    // Only what the gates measured (docs/photo-quality.md): a portrait has one frontal face, framed head and
    // shoulders; a full-body photo is upright with room for the whole person. Nothing about light, background,
    // expression or place: a caption that names what is not in the photo teaches the LoRA the wrong thing.
    private static readonly string[] Face =
    [
        "a portrait photo of {0}",
        "a head and shoulders photo of {0}",
        "a photo of {0}, facing the camera",
        "{0}, portrait",
        "a headshot of {0}",
        "a photo of {0}, head and shoulders in frame",
        "a portrait of {0} facing the camera",
        "a photo of {0}",
    ];

    private static readonly string[] FullBody =
    [
        "a full-body photo of {0}",
        "a full-length photo of {0}",
        "a photo of {0}, whole body in frame",
        "{0}, full body",
        "a full-length portrait of {0}",
        "a vertical full-body photo of {0}",
        "a photo of {0}, full length",
        "a full-body portrait of {0}",
        "a photo of {0} with the whole body in frame",
        "{0}, full-length photo",
    ];

    public static IReadOnlyList<string> TemplatesFor(PersonaMode mode) => mode == PersonaMode.Portrait ? Face : FullBody;

    public static IReadOnlyList<Caption> ForTemplates(string triggerWord, PersonaMode mode, string personaId, int count)
    {
        var templates = TemplatesFor(mode).ToArray();
        var seed = BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(personaId)));
        new Random(seed).Shuffle(templates);
        return Enumerable.Range(0, count).Select(i => new Caption(string.Format(templates[i % templates.Length], triggerWord), TemplateSource)).ToList();
    }
}
