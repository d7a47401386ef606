using System.Text.Json;
using Personas.Domain.Blobs;
using Personas.Domain.Faces;
using Personas.Domain.Generations;
using Personas.Domain.Personas;
using Personas.Domain.Stores;
using Personas.Domain.Training;
using Personas.Imaging.Faces.Embedding;
using Personas.Imaging.Rendering;
using Personas.Imaging.Validation;
using Personas.Orchestrations.Generations;
using Personas.Providers.FaceSwap;
using Personas.Providers.Generation;

namespace Personas.Orchestrations.FaceSwap;

/// <summary>
/// The optional face-swap step after a picture is made: the persona's best photo (highest intake score with a face)
/// is swapped into it by the configured provider, and the result is kept only when its face passes the same-person
/// check against the persona's photos; otherwise the original stays and the outcome says why. Paid once per key:
/// a redelivered activity finds the ledger row and gets the outcome back.
/// </summary>
public sealed class PersonaFaceSwap(FaceSwappers swappers, PersonaFaces faces, GeneratedImageScorer scorer,
    PersonaPictures pictures, ICatalog catalog, IBlobStore blobs, IPublicLinks links, TimeProvider clock)
{
    private static readonly TimeSpan LinkLife = TimeSpan.FromHours(1);

    public string Provider => swappers.Current.Name;

    public decimal EstimateUsd(int pictures) => swappers.EstimateUsd(pictures);

    /// <summary>
    /// What a picture's label says: each stand-in that made it (the dry-run image, the dry-run swap).
    /// </summary>
    public static string? Label(string? imageProvider, FaceSwapOutcome? swap) => string.Join("; ", new[]
    {
        imageProvider == DryRunImageGenerator.ProviderName ? DryRunImageGenerator.Label : null,
        swap?.Provider == DryRunFaceSwapper.ProviderName ? DryRunFaceSwapper.Label : null,
    }.OfType<string>()) is { Length: > 0 } label ? label : null;

    public async Task<FaceSwapOutcome> ApplyAsync(string owner, Persona persona, StoredPicture picture, int width,
        int height, CostKey key, string usage, CancellationToken ct)
    {
        if (await catalog.FindPaidCallAsync(owner, key, ct) is { Reference: { } done })
            return JsonSerializer.Deserialize<FaceSwapOutcome>(done)!;
        var source = (await catalog.ListPhotosAsync(owner, persona.Id, ct)).Where(p => p.Face is not null)
            .MaxBy(p => p.Scores.Overall.Value)
            ?? throw new InvalidDataException("The persona has no photo with a face to swap in.");
        await pictures.ThrowUnlessConsentedAsync(owner, persona.Id, usage, ct);
        var swapper = swappers.Current;
        var swapped = await swapper.SwapAsync(new FaceSwapRequest(links.Blob(picture.Blob, LinkLife),
            links.Blob(source.Blob, LinkLife), picture.Bytes), ct);
        byte[] raw;
        await using (var stream = await swapper.OpenAsync(swapped, ct))
            raw = await PersonaPictures.ReadBoundedAsync(stream, ct);
        var fitted = Pictures.Cover(raw, width, height);

        var check = scorer.Check(fitted, persona.Mode);
        var known = await faces.OfPersonaAsync(owner, persona.Id, ct);
        var similarity = check.ClearFace && known.Count > 0 && faces.Embed(fitted, check.Face) is { } face
            ? Math.Round(SamePerson.MedianSimilarity(face, known), 3) : (double?)null;
        var kept = similarity >= faces.Threshold;
        var outcome = new FaceSwapOutcome(swapper.Name, kept, similarity, source.Id, kept
            ? (swapper.Name == DryRunFaceSwapper.ProviderName
                ? $"Dry run: no face was swapped (the source would be {source.FileName})"
                : $"Swapped in the face of {source.FileName}") +
              $"; it passes the same-person check ({similarity:0.00})."
            : similarity is null ? "The swapped picture shows no clear face; the original was kept."
            : $"The swapped face does not pass the same-person check ({similarity:0.00} < {faces.Threshold:0.00}); " +
              "the original was kept.");
        var paid = new CostEntry(owner, persona.Id, clock.GetUtcNow(), swapper.Name, "face swap",
            swappers.EstimateUsd(1), $"{picture.Blob}, face from {source.Id}, request {swapped.RequestId}")
        {
            Key = key,
            Reference = JsonSerializer.Serialize(outcome),
        };
        try
        {
            await pictures.ThrowUnlessConsentedAsync(owner, persona.Id, usage, ct);
        }
        catch (Dataset.ConsentException)
        {
            await catalog.TryRecordPaidCallAsync(paid with { Details = paid.Details + "; not kept: consent" }, ct);
            throw;
        }
        if (kept)
            using (var content = new MemoryStream(fitted)) await blobs.PutAsync(picture.Blob, content, ct);
        await catalog.TryRecordPaidCallAsync(paid, ct);
        return outcome;
    }
}
