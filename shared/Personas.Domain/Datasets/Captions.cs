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

    private static readonly string[] Face =
    [
        "a close-up portrait photo of {0}, looking at the camera",
        "a headshot of {0}, soft natural light",
        "a photo of {0} smiling, face in sharp focus",
        "{0}, portrait, plain background",
        "a close-up of {0}'s face, detailed skin texture",
        "a photo of {0} with a calm expression",
        "a portrait of {0}, three-quarter view",
        "a candid photo of {0}, head and shoulders",
    ];

    private static readonly string[] FullBody =
    [
        "a full-body photo of {0} standing",
        "{0} standing outdoors, full-length shot",
        "a photo of {0} walking, whole body in frame",
        "a full-length portrait of {0}, studio lighting",
        "{0} posing, head to toe",
        "a full-body shot of {0} against a plain background",
        "a photo of {0} standing with arms relaxed, full body",
        "{0} in everyday clothes, full-length photo",
        "a wide shot of {0} standing, whole body visible",
        "a full-body candid photo of {0}",
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
