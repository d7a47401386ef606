using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Personas.Domain.Blobs;
using Personas.Domain.Posts;
using Personas.Domain.Stores;
using Personas.Api.Auth;
using Personas.Api.Hosting;
using Personas.Api.Instances;
using Personas.Api.Problems;
using Personas.Imaging.Analysis;
using Personas.Api.OpenApi;

namespace Personas.Api.Posts;

/// <summary>The owner's brand kit for rendered cards: colours, font, watermark and logo (a PNG or JPEG sent as base64, at most 512 KB).</summary>
public static class BrandKitEndpoints
{
    public const int MaxLogoBytes = 512 * 1024;
    private static readonly string[] Fields = ["textColor", "accentColor", "scrimColor", "font", "watermark", "logo"];

    public static void MapBrandKitEndpoints(this IEndpointRouteBuilder app)
    {
        var kit = app.MapGroup("/api/brand-kit").WithTags("Posts");
        kit.MapGet("", async (HttpContext http, IPostCatalog posts) => TypedResults.Ok(View(await posts.GetBrandKitAsync(http.User.Owner(), http.RequestAborted) ?? BrandKit.Default)))
            .WithName("BrandKit").WithSummary("The owner's brand kit (defaults until one is saved).")
            .Produces<BrandKitPayload>();
        kit.MapPut("", PutAsync).WithName("SaveBrandKit")
            .WithSummary($"Saves { string.Join(", ", Fields) }; colours as #RRGGBB, font one of {string.Join(", ", BrandKit.Fonts)}, logo base64. Unsent fields keep their value.")
            .Documents<BrandKitBody>("application/json").Produces<BrandKitPayload>().ProducesProblem(400);
    }

    private static BrandKitPayload View(BrandKit kit) =>
        new(kit.TextColor, kit.AccentColor, kit.ScrimColor, kit.Font, kit.Watermark, kit.LogoBlob is not null);

    private static async Task<IResult> PutAsync(HttpContext http, IPostCatalog posts, IBlobStore blobs, IOptions<PersonasSettings> settings)
    {
        var owner = http.User.Owner();
        var (body, bodyProblem) = await JsonBody.ReadAsync(http, Math.Max(settings.Value.MaxJsonBodyBytes, MaxLogoBytes * 4 / 3 + 4096));
        if (bodyProblem is not null) return bodyProblem;
        if (body is not JsonObject o) return ProblemWriter.Invalid(http, "body", $"Send a JSON object with any of {string.Join(", ", Fields)}.");
        if (o.Select(p => p.Key).FirstOrDefault(k => !Fields.Contains(k)) is { } unknown) return ProblemWriter.Invalid(http, unknown, $"is not a brand kit field; use {string.Join(", ", Fields)}.");
        foreach (var field in Fields)
            if (o[field] is { } node && node.GetValueKind() != JsonValueKind.String) return ProblemWriter.Invalid(http, field, "must be a string.");
        var kit = await posts.GetBrandKitAsync(owner, http.RequestAborted) ?? BrandKit.Default;
        foreach (var field in new[] { "textColor", "accentColor", "scrimColor" })
            if (o[field] is { } c && !BrandKit.IsColor(c.GetValue<string>())) return ProblemWriter.Invalid(http, field, "must be a colour as #RRGGBB.");
        if (o["font"] is { } f && !BrandKit.Fonts.Contains(f.GetValue<string>())) return ProblemWriter.Invalid(http, "font", $"must be one of {string.Join(", ", BrandKit.Fonts)}.");
        if (o["watermark"] is { } w && w.GetValue<string>().Length > 60) return ProblemWriter.Invalid(http, "watermark", "must be at most 60 characters.");
        string? logoBlob = kit.LogoBlob;
        if (o["logo"] is { } logoNode)
        {
            byte[] logo;
            try { logo = Convert.FromBase64String(logoNode.GetValue<string>()); }
            catch (FormatException) { return ProblemWriter.Invalid(http, "logo", "must be base64."); }
            if (logo.Length > MaxLogoBytes) return ProblemWriter.Invalid(http, "logo", $"must be at most {MaxLogoBytes / 1024} KB.");
            try
            {
                var header = PhotoDecoder.ReadHeader(logo, 4_000_000);
                if (header.Format is not (PhotoFormat.Png or PhotoFormat.Jpeg)) return ProblemWriter.Invalid(http, "logo", "must be a PNG or JPEG.");
            }
            catch (PhotoRejectedException ex) { return ProblemWriter.Invalid(http, "logo", ex.Message); }
            logoBlob = BlobPaths.Join(owner, "_brand", "logo");
            using var content = new MemoryStream(logo);
            await blobs.PutAsync(logoBlob, content, http.RequestAborted);
        }
        var saved = kit with
        {
            TextColor = o["textColor"]?.GetValue<string>().ToUpperInvariant() ?? kit.TextColor,
            AccentColor = o["accentColor"]?.GetValue<string>().ToUpperInvariant() ?? kit.AccentColor,
            ScrimColor = o["scrimColor"]?.GetValue<string>().ToUpperInvariant() ?? kit.ScrimColor,
            Font = o["font"]?.GetValue<string>() ?? kit.Font,
            Watermark = o["watermark"] is { } wm ? (wm.GetValue<string>().Trim() is { Length: > 0 } text ? text : null) : kit.Watermark,
            LogoBlob = logoBlob,
        };
        await posts.SaveBrandKitAsync(owner, saved, http.RequestAborted);
        return TypedResults.Ok(View(saved));
    }
}

/// <summary>The brand kit as shown: colours, font, watermark, and whether a logo is saved.</summary>
public sealed record BrandKitPayload(string TextColor, string AccentColor, string ScrimColor, string Font,
    string? Watermark, bool HasLogo);
