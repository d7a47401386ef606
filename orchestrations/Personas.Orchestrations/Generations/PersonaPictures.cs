using System.Text.Json;
using Personas.Domain.Blobs;
using Personas.Domain.Personas;
using Personas.Domain.Stores;
using Personas.Domain.Training;
using Personas.Imaging.Rendering;
using Personas.Providers.Generation;

namespace Personas.Orchestrations.Generations;

/// <summary>A picture made and stored: where, with which seed and provider, and its bytes for scoring.</summary>
public sealed record StoredPicture(string Blob, long Seed, string Provider, string? RequestId, byte[] Bytes, decimal CostUsd);

/// <summary>
/// Makes one picture with a persona's LoRA and keeps it: picks the provider that can run the LoRA, fetches the
/// result (provider links expire), cuts it to the exact size, stores it and prices the call in the ledger. Used by
/// validation and by generate-with-persona alike.
/// </summary>
public sealed class PersonaPictures(ImageGenerators generators, IBlobStore blobs, ICatalog catalog, IPublicLinks links, TimeProvider clock)
{
    private const int MaxImageBytes = 40 * 1024 * 1024;

    public LoraReference Reference(Persona persona, PersonaModel model, string weightsBlob) =>
        new(weightsBlob, links.Blob(weightsBlob, TimeSpan.FromHours(2)), model.Provider, weightsBlob == model.WeightsBlob ? model.ProviderModel : null,
            persona.Dataset?.FalZip);

    public string ProviderFor(LoraReference lora) => generators.For(lora).Name;

    public decimal EstimateUsd(LoraReference lora, int images) => generators.EstimateUsd(generators.For(lora).Name, images);

    /// <summary>
    /// Makes the picture once per <paramref name="key"/>: a redelivered activity finds the call in the ledger and gets
    /// the stored picture back instead of paying the provider again. Consent is read before paying and again once
    /// the picture exists, before it is kept: withdrawn meanwhile, nothing is stored (ConsentException), and the
    /// call that was paid for is still in the ledger.
    /// </summary>
    public async Task<StoredPicture> MakeAsync(string owner, ImageRequest request, string blob, string purpose,
        CostKey key, CancellationToken ct, string usage = Usages.Personal)
    {
        if (await StoredAsync(owner, key, ct) is { } stored) return stored;
        await ThrowUnlessConsentedAsync(owner, request.PersonaId, usage, ct);
        var generator = generators.For(request.Lora);
        var image = await generator.GenerateAsync(request, ct);
        byte[] raw;
        await using (var stream = await generator.OpenAsync(image, ct)) raw = await ReadBoundedAsync(stream, ct);
        var cost = generators.EstimateUsd(generator.Name, 1);
        var details = $"{request.Width}×{request.Height}, seed {image.Seed}, LoRA scale {request.LoraScale:0.##}, "
            + $"request {image.RequestId}";
        var paid = new CostEntry(owner, request.PersonaId, clock.GetUtcNow(), generator.Name, purpose, cost, details)
        {
            Key = key,
        };
        try
        {
            await ThrowUnlessConsentedAsync(owner, request.PersonaId, usage, ct);
        }
        catch (Dataset.ConsentException)
        {
            // Paid for but not kept: the ledger row has no picture to give back.
            await catalog.TryRecordPaidCallAsync(paid with { Details = details + "; not kept: consent" }, ct);
            throw;
        }
        var fitted = Pictures.Cover(raw, request.Width, request.Height);
        using (var content = new MemoryStream(fitted)) await blobs.PutAsync(blob, content, ct);
        await catalog.TryRecordPaidCallAsync(paid with
        {
            Reference = JsonSerializer.Serialize(new PictureReference(blob, image.Seed, image.RequestId)),
        }, ct);
        return new StoredPicture(blob, image.Seed, generator.Name, image.RequestId, fitted, cost);
    }

    internal async Task ThrowUnlessConsentedAsync(string owner, string personaId, string usage, CancellationToken ct)
    {
        if (await LikenessConsent.RefusalAsync(catalog, owner, personaId, usage, clock.GetUtcNow(), ct)
            is { } refusal)
            throw new Dataset.ConsentException(refusal);
    }

    /// <summary>The picture an earlier delivery made and recorded under the key, read back from the store.</summary>
    private async Task<StoredPicture?> StoredAsync(string owner, CostKey key, CancellationToken ct)
    {
        if (await catalog.FindPaidCallAsync(owner, key, ct) is not { Reference: { } reference } paid) return null;
        var picture = JsonSerializer.Deserialize<PictureReference>(reference)!;
        await using var stream = await blobs.OpenReadAsync(picture.Blob, ct);
        if (stream is null) return null; // the blob went (a deletion); make it again rather than fail
        var bytes = await ReadBoundedAsync(stream, ct);
        return new StoredPicture(picture.Blob, picture.Seed, paid.Provider, picture.RequestId, bytes,
            paid.EstimatedUsd);
    }

    private sealed record PictureReference(string Blob, long Seed, string? RequestId);

    internal static async Task<byte[]> ReadBoundedAsync(Stream stream, CancellationToken ct)
    {
        using var copy = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            if (copy.Length + read > MaxImageBytes) throw new InvalidDataException($"The provider's image is over {MaxImageBytes / 1048576} MB; it was not kept.");
            copy.Write(buffer, 0, read);
        }
        return copy.ToArray();
    }
}
