using Personas.Domain.Personas;
using Personas.Domain.Photos;
using Personas.Imaging.Analysis;
using Personas.Imaging.Preparation;

namespace Personas.Api.Personas;

public sealed record PhotoPayload(string Id, string FileName, string Format, int Width, int Height, PhotoScores Scores, CropRegion? Face, CropRegion? Frame, DateTimeOffset CreatedAt)
{
    public static PhotoPayload From(Photo p) => new(p.Id, p.FileName, p.Format.ToString().ToLowerInvariant(), p.Width, p.Height, p.Scores, p.Face, p.Frame, p.CreatedAt);
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
    DateTimeOffset UpdatedAt)
{
    public static PersonaPayload From(Persona p, IReadOnlyList<Photo>? photos, int photoCount, DateTimeOffset now, Func<string, string>? link = null) =>
        new(p.Id, p.Name, p.TriggerWord, p.Mode == PersonaMode.Portrait ? "portrait" : "fullbody", p.Status, p.StatusReason, p.Consent,
            p.Consent.IsValidAt(now), photoCount, photos?.Select(PhotoPayload.From).ToList(), link is null ? null : DatasetPayload.From(p.Dataset, link),
            p.CreatedAt, p.UpdatedAt);
}
