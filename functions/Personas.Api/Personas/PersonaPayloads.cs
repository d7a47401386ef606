using Personas.Domain.Personas;
using Personas.Domain.Photos;
using Personas.Imaging.Analysis;
using Personas.Imaging.Preparation;

namespace Personas.Api.Personas;

/// <summary>A photo with signed links to its original (<c>url</c>) and, once framed, its training crop.</summary>
public sealed record PhotoPayload(string Id, string FileName, string Format, int Width, int Height, PhotoScores Scores,
    CropRegion? Face, CropRegion? Frame, DateTimeOffset CreatedAt, string Blob, string Url, string? FramedBlob,
    string? FramedUrl)
{
    public static PhotoPayload From(Photo p, Func<string, string> link) =>
        new(p.Id, p.FileName, p.Format.ToString().ToLowerInvariant(), p.Width, p.Height, p.Scores, p.Face, p.Frame,
            p.CreatedAt, p.Blob, link(p.Blob), p.FramedBlob, p.FramedBlob is { } framed ? link(framed) : null);
}

/// <summary>The prepared packages as signed download links, ready to hand to a trainer.</summary>
public sealed record DatasetPayload(int Images, DateTimeOffset PreparedAt, string FalZipUrl, string ReplicateZipUrl, string KohyaConfigUrl, string KohyaFolder,
    IReadOnlyList<DatasetEntry> Entries)
{
    public static DatasetPayload? From(DatasetPackages? d, Func<string, string> link) =>
        d is null ? null : new(d.Images, d.PreparedAt, link(d.FalZip), link(d.ReplicateZip), link(d.KohyaConfig), d.KohyaFolder, d.Entries);
}

public sealed record PersonaPayload(
    string Id,
    string Name,
    string TriggerWord,
    string Mode,
    PersonaStatus Status,
    string? StatusReason,
    Consent Consent,
    bool ConsentValid,
    int PhotoCount,
    IReadOnlyList<PhotoPayload>? Photos,
    DatasetPayload? Dataset,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? Voice,
    IReadOnlyList<string> Topics,
    IReadOnlyList<string> Restrictions)
{
    /// <summary>
    /// <paramref name="imageLink"/> signs the photos' links (relative, for pages); <paramref name="datasetLink"/> the
    /// packages' (absolute, to hand to a trainer). Photos and dataset are left out without them.
    /// </summary>
    public static PersonaPayload From(Persona p, IReadOnlyList<Photo>? photos, int photoCount, DateTimeOffset now,
        Func<string, string>? datasetLink = null, Func<string, string>? imageLink = null) =>
        new(p.Id, p.Name, p.TriggerWord, p.Mode == PersonaMode.Portrait ? "portrait" : "fullbody", p.Status, p.StatusReason, p.Consent,
            p.Consent.IsValidAt(now), photoCount,
            imageLink is null ? null : photos?.Select(photo => PhotoPayload.From(photo, imageLink)).ToList(),
            datasetLink is null ? null : DatasetPayload.From(p.Dataset, datasetLink),
            p.CreatedAt, p.UpdatedAt, p.Voice, p.Topics, p.Restrictions);
}
