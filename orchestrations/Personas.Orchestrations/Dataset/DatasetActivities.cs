using Personas.Domain.Blobs;
using Personas.Domain.Datasets;
using Personas.Domain.Personas;
using Personas.Domain.Stores;
using Microsoft.DurableTask;
using Personas.Imaging.Analysis;
using Personas.Imaging.Preparation;

namespace Personas.Orchestrations.Dataset;

/// <summary>Thrown when consent no longer covers processing the persona; never retried.</summary>
public sealed class ConsentException(string message) : Exception(message);

public sealed record FramePhotoInput(string Owner, string PersonaId, string PhotoId);

public sealed record PackageDatasetInput(string Owner, string PersonaId, IReadOnlyList<string> FramedBlobs);

/// <summary>
/// A null status keeps the persona's: a dataset made inside a training run leaves the status to that run.
/// </summary>
public sealed record SetPersonaStatusInput(string Owner, string PersonaId, PersonaStatus? Status, string? Reason,
    DatasetPackages? Dataset);

/// <summary>Checks consent and lists the photos to frame, in upload order.</summary>
public sealed class PlanDatasetActivity(ICatalog catalog, TimeProvider clock) : TaskActivity<PrepareDatasetInput, IReadOnlyList<string>>
{
    public override async Task<IReadOnlyList<string>> RunAsync(TaskActivityContext context, PrepareDatasetInput input)
    {
        var persona = await catalog.GetPersonaAsync(input.Owner, input.PersonaId, context.CancellationToken)
            ?? throw new InvalidDataException($"Persona {input.PersonaId} no longer exists.");
        if (persona.Consent.RefusalAt(clock.GetUtcNow()) is { } refusal) throw new ConsentException(refusal);
        return (await catalog.ListPhotosAsync(input.Owner, input.PersonaId, context.CancellationToken)).Select(p => p.Id).ToList();
    }
}

/// <summary>Crops one photo around its face (or body) at training size, metadata stripped. Idempotent: same blob path on every run.</summary>
public sealed class FramePhotoActivity(ICatalog catalog, IBlobStore blobs, PhotoGates gates) : TaskActivity<FramePhotoInput, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, FramePhotoInput input)
    {
        var ct = context.CancellationToken;
        var persona = await catalog.GetPersonaAsync(input.Owner, input.PersonaId, ct) ?? throw new InvalidDataException($"Persona {input.PersonaId} no longer exists.");
        var photo = (await catalog.ListPhotosAsync(input.Owner, input.PersonaId, ct)).FirstOrDefault(p => p.Id == input.PhotoId)
            ?? throw new InvalidDataException($"Photo {input.PhotoId} was deleted while the dataset was being prepared.");
        var original = await blobs.ReadAllBytesAsync(photo.Blob, ct) ?? throw new InvalidDataException($"The original of photo {photo.Id} is missing.");
        var header = PhotoDecoder.ReadHeader(original, gates.MaxPixels);
        var (width, height) = PhotoInspector.OutputSize(persona.Mode);
        var framed = PhotoDecoder.Frame(original, header, photo.Frame ?? new CropRegion(0, 0, header.Width, header.Height), width, height);
        var path = BlobPaths.Join(input.Owner, input.PersonaId, "framed", $"{photo.Id}.jpg");
        await blobs.PutAsync(path, new MemoryStream(framed), ct);
        await catalog.UpdatePhotoAsync(photo with { FramedBlob = path }, ct);
        return path;
    }
}

/// <summary>Captions the framed photos (templates, or a vision model when one is configured) and writes the fal.ai, Replicate and Kohya packages.</summary>
public sealed class PackageDatasetActivity(ICatalog catalog, IBlobStore blobs, ICaptioner captioner, TimeProvider clock) : TaskActivity<PackageDatasetInput, DatasetPackages>
{
    public override async Task<DatasetPackages> RunAsync(TaskActivityContext context, PackageDatasetInput input)
    {
        var persona = await catalog.GetPersonaAsync(input.Owner, input.PersonaId, context.CancellationToken)
            ?? throw new InvalidDataException($"Persona {input.PersonaId} no longer exists.");
        var captions = await captioner.CaptionAsync(persona, input.FramedBlobs, blobs, context.CancellationToken);
        var images = input.FramedBlobs.Select((blob, i) => new DatasetImage(blob, captions[i])).ToList();
        var (width, height) = PhotoInspector.OutputSize(persona.Mode);
        var (fal, replicate, kohya, config) = await new DatasetPackager(blobs).WriteAsync(input.Owner, input.PersonaId, persona.TriggerWord, width, height, images, context.CancellationToken);
        return new DatasetPackages(fal, replicate, kohya, config, images.Count, clock.GetUtcNow())
        {
            Entries = images.Select((image, i) => new DatasetEntry($"{DatasetPackager.EntryName(i, persona.TriggerWord)}.jpg", image.Caption.Text, image.Caption.Source)).ToList(),
        };
    }
}

/// <summary>
/// Moves the persona to its next status; only workflows call this, and only the run that holds the persona changes
/// it (<see cref="PersonaClaims.HeldBy"/>; deletion, which holds it for good, is final).
/// </summary>
public sealed class SetPersonaStatusActivity(ICatalog catalog, TimeProvider clock) : TaskActivity<SetPersonaStatusInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, SetPersonaStatusInput input) =>
        await catalog.UpdatePersonaAsync(input.Owner, input.PersonaId, p => !PersonaClaims.HeldBy(p, context.InstanceId)
            ? p
            : p with
            {
                Status = input.Status ?? p.Status,
                StatusReason = input.Status is null ? p.StatusReason : input.Reason,
                Dataset = input.Dataset ?? p.Dataset,
                UpdatedAt = clock.GetUtcNow(),
            }, context.CancellationToken) is not null;
}
