using Personas.Domain.Blobs;
using Personas.Domain.Faces;
using Personas.Domain.Personas;
using Personas.Domain.Photos;
using Personas.Domain.Stores;
using Personas.Imaging.Analysis;
using Personas.Imaging.Faces.Embedding;
using Personas.Imaging.Preparation;

namespace Personas.Api.Photos;

/// <summary>A received file waiting on local disk, or the reason it never got that far.</summary>
public sealed record StagedPhoto(string FileName, string? Path, Rejection? Rejection);

public sealed record IntakeResult(string FileName, bool Accepted, string? PhotoId, PhotoScores? Scores, IReadOnlyList<Rejection> Rejections);

/// <summary>
/// Takes staged files to stored photos: inspects them (one per core), refuses faces of somebody else than the persona
/// (<see cref="SamePerson"/>), refuses repeats of the persona's photos and of each other, keeps the persona under its
/// photo limit, then stores the accepted ones, blobs first and catalog last, so a failure leaves nothing half-stored;
/// a note (<see cref="UploadNotes"/>) written before the blobs lets the startup sweep remove them if the host dies
/// before the catalog write.
/// </summary>
public sealed class PhotoIntake(ICatalog catalog, IBlobStore blobs, PhotoInspector inspector, PhotoGates gates,
    UploadNotes notes, PersonaFaces faces, TimeProvider clock)
{
    public async Task<IReadOnlyList<IntakeResult>> AcceptAsync(Persona persona, IReadOnlyList<StagedPhoto> staged, CancellationToken ct)
    {
        var existing = await catalog.ListPhotosAsync(persona.Owner, persona.Id, ct);
        var inspections = new PhotoInspection?[staged.Count];
        var embeddings = new FaceEmbedding?[staged.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, staged.Count), new ParallelOptions { MaxDegreeOfParallelism = PhotoBatch.InFlight, CancellationToken = ct },
            async (i, token) =>
            {
                if (staged[i].Path is not { } path) return;
                var bytes = await File.ReadAllBytesAsync(path, token);
                var inspection = inspections[i] = inspector.Inspect(bytes, persona.Mode);
                if (inspection.Accepted) embeddings[i] = faces.Embed(bytes, inspection.Face?.Box);
            });
        var strangers = SamePerson.Screen(await faces.OfPersonaAsync(persona.Owner, persona.Id, ct), embeddings,
            faces.Threshold);

        var kept = existing.Select(p => new PhotoFingerprint(p.FileName, p.Sha256, p.DifferenceHash)).ToList();
        var room = gates.MaxPhotos - existing.Count;
        var results = new List<IntakeResult>();
        var toStore = new List<(Photo Photo, string Path)>();
        for (var i = 0; i < staged.Count; i++)
        {
            var (name, path, early) = staged[i];
            var inspection = inspections[i];
            var rejection = early
                ?? inspection!.Rejections.FirstOrDefault()
                ?? strangers[i]
                ?? PhotoDuplicates.Find(inspection, kept, gates)
                ?? (room <= 0 ? new Rejection("count", $"The persona already has {gates.MaxPhotos} photos, the most allowed; delete one to add another.") : null);
            if (rejection is not null)
            {
                var reasons = inspection is { Rejections.Count: > 0 } ? inspection.Rejections : [rejection];
                results.Add(new IntakeResult(name, false, null, inspection?.Scores, reasons));
                continue;
            }
            var photo = new Photo
            {
                Id = "pho_" + Guid.NewGuid().ToString("N")[..20], PersonaId = persona.Id, Owner = persona.Owner, FileName = name,
                Sha256 = inspection!.Sha256, DifferenceHash = inspection.DifferenceHash, Format = inspection.Format!.Value,
                Width = inspection.Width, Height = inspection.Height, Scores = inspection.Scores!, Face = inspection.Face?.Box,
                FaceNeighbours = inspection.Face?.Neighbours ?? 0, Frame = inspection.Frame, CreatedAt = clock.GetUtcNow(),
                Blob = BlobPaths.Join(persona.Owner, persona.Id, "photos", $"{Guid.NewGuid():N}{Extension(inspection.Format!.Value)}"),
            };
            toStore.Add((photo, path!));
            kept.Add(new PhotoFingerprint(name, photo.Sha256, photo.DifferenceHash));
            room--;
            results.Add(new IntakeResult(name, true, photo.Id, photo.Scores, []));
        }

        await StoreAsync(persona, toStore, ct);
        return results;
    }

    private async Task StoreAsync(Persona persona, List<(Photo Photo, string Path)> photos, CancellationToken ct)
    {
        if (photos.Count == 0) return;
        var note = await notes.WriteAsync(
            new UploadNote(persona.Owner, persona.Id, photos.Select(p => p.Photo.Blob).ToList()), ct);
        try
        {
            foreach (var (photo, path) in photos)
            {
                await using var file = File.OpenRead(path);
                await blobs.PutAsync(photo.Blob, file, ct);
            }
            if (!await catalog.TryAddPhotosAsync(persona.Owner, persona.Id, photos.Select(p => p.Photo).ToList(), gates.MaxPhotos, ct))
                throw new PhotoLimitRaceException();
        }
        catch
        {
            foreach (var (photo, _) in photos) await blobs.DeleteAsync(photo.Blob, CancellationToken.None);
            UploadNotes.Clear(note);
            throw;
        }
        UploadNotes.Clear(note); // the rows hold the blobs now
    }

    private static string Extension(PhotoFormat format) => format switch
    {
        PhotoFormat.Jpeg => ".jpg", PhotoFormat.Png => ".png", PhotoFormat.WebP => ".webp", _ => ".heic",
    };
}

/// <summary>Another upload filled the persona's photo limit while this one was being checked.</summary>
public sealed class PhotoLimitRaceException() : Exception("Another upload reached the persona's photo limit first; nothing from this request was stored.");
