using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Personas.Api.Problems;
using Personas.Domain.Batches;
using Personas.Domain.Blobs;
using Personas.Domain.Stores;

namespace Personas.Api.Batches;

/// <summary>
/// <c>GET .../batches/{batchId}/zip</c>: the pictures made so far, streamed as they are read, each named
/// <c>007-a-slug-of-the-prompt.jpg</c> (index, then the prompt cut to letters, digits and dashes, so no entry can
/// name a folder or a path), and <c>manifest.json</c> with every item's prompt, seed, status and file.
/// </summary>
public static class BatchZip
{
    private const int MaxSlug = 40;

    public static async Task WriteAsync(string personaId, string batchId, HttpContext http,
        [FromServices] IBatchCatalog batches, IBlobStore blobs)
    {
        var ct = http.RequestAborted;
        if (await BatchEndpoints.FindAsync(batches, http, personaId, batchId) is not { } batch)
        {
            await ProblemWriter.WriteAsync(http, 404, "Not found", $"There is no batch '{batchId}' for this persona.",
                "batchId");
            return;
        }
        http.Response.ContentType = "application/zip";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"batch-{batch.Id}.zip\"";
        await using var zip = new ZipArchive(http.Response.BodyWriter.AsStream(), ZipArchiveMode.Create,
            leaveOpen: false);
        var files = new Dictionary<int, string>();
        foreach (var item in batch.Items.Where(i => i is { Status: BatchItemStatus.Done, Blob: not null }))
        {
            await using var source = await blobs.OpenReadAsync(item.Blob!, ct);
            if (source is null) continue;
            files[item.Index] = EntryName(item);
            await using var entry = await zip.CreateEntry(files[item.Index], CompressionLevel.NoCompression)
                .OpenAsync(ct);
            await source.CopyToAsync(entry, ct);
        }
        await using var manifest = await zip.CreateEntry("manifest.json").OpenAsync(ct);
        await JsonSerializer.SerializeAsync(manifest, new
        {
            batch.Id, batch.PersonaId, batch.ModelVersion, batch.Platform, batch.Template, batch.Label,
            Status = batch.Status.ToString(), batch.Reason,
            Items = batch.Items.Select(i => new
            {
                i.Index, i.Prompt, i.Seed, Status = i.Status.ToString(), File = files.GetValueOrDefault(i.Index),
                i.Error,
            }),
        }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }, ct);
    }

    public static string EntryName(BatchItem item)
    {
        var slug = new StringBuilder();
        foreach (var c in item.Prompt.ToLowerInvariant())
        {
            if (slug.Length >= MaxSlug) break;
            if (char.IsAsciiLetterOrDigit(c)) slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-') slug.Append('-');
        }
        var name = slug.ToString().Trim('-');
        return $"{item.Index:000}-{(name.Length > 0 ? name : "picture")}.jpg";
    }
}
