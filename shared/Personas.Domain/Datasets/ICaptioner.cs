using Personas.Domain.Blobs;
using Personas.Domain.Personas;

namespace Personas.Domain.Datasets;

/// <summary>Writes one training caption per framed image, each containing the persona's trigger word.</summary>
public interface ICaptioner
{
    Task<IReadOnlyList<Caption>> CaptionAsync(Persona persona, IReadOnlyList<string> framedBlobs, IBlobStore blobs, CancellationToken ct);
}

/// <summary>The default: varied templates around the trigger word (<see cref="Captions"/>).</summary>
public sealed class TemplateCaptioner : ICaptioner
{
    public Task<IReadOnlyList<Caption>> CaptionAsync(Persona persona, IReadOnlyList<string> framedBlobs, IBlobStore blobs, CancellationToken ct) =>
        Task.FromResult(Captions.ForTemplates(persona.TriggerWord, persona.Mode, persona.Id, framedBlobs.Count));
}
