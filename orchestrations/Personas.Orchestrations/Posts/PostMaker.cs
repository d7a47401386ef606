using Personas.Domain.Blobs;
using Personas.Domain.Generations;
using Personas.Domain.Personas;
using Personas.Domain.Posts;
using Personas.Domain.Stores;
using Personas.Domain.Training;
using Personas.Imaging.Rendering;
using Personas.Orchestrations.Dataset;
using Personas.Orchestrations.FaceSwap;
using Personas.Orchestrations.Generations;
using Personas.Providers.Generation;
using Personas.Providers.Llm;
using Personas.Providers.Rating;

namespace Personas.Orchestrations.Posts;

/// <summary>
/// Makes one revision of a post: the copy and image prompt (model or templates), the persona picture at the
/// platform's size (through the image provider, with the LoRA), and the rendered cards at every export size.
/// </summary>
public sealed class PostMaker(ICatalog catalog, IPostCatalog posts, IBlobStore blobs, PostWriter writer, PersonaPictures pictures, DryRunImageGenerator dryRun,
    PersonaFaceSwap faceSwap, PostOptions options, TimeProvider clock, ContentRater rater)
{
    /// <summary>The export sizes of rendered cards; each platform publishes its own.</summary>
    public static readonly IReadOnlyDictionary<string, (int Width, int Height)> Variants = new Dictionary<string, (int, int)>
    {
        ["portrait"] = Size("instagram"), ["story"] = Size("story"), ["square"] = Size("linkedin-square"), ["landscape"] = Size("x"),
    };

    public static string VariantFor(SocialPlatform platform) => platform == SocialPlatform.X ? "landscape" : "portrait";

    /// <summary>
    /// Writes revision <c>work.Revision</c> after the <paramref name="earlier"/> ones: the owner's hand edits in the
    /// latest are kept (<see cref="ManualEdits"/>) unless the work asks to replace them, and the note says which.
    /// </summary>
    public async Task<PostRevision> MakeAsync(string instanceId, WritePostInput input,
        IReadOnlyList<PostRevision> earlier, CancellationToken ct)
    {
        var previous = earlier.Count > 0 ? earlier[^1] : null;
        var (owner, work) = (input.Batch.Owner, input.Work);
        var persona = input.Batch.PersonaId is { } personaId
            ? await catalog.GetPersonaAsync(owner, personaId, ct) ?? throw new InvalidDataException($"Persona {personaId} no longer exists.")
            : null;
        if (persona is not null && persona.Consent.RefusalFor(input.Batch.Usage, clock.GetUtcNow()) is { } refusal) throw new ConsentException(refusal);
        var model = persona is null ? null : persona.ModelFor(null) ?? throw new InvalidDataException("The persona has no trained version that passed validation.");

        var number = work.Revision;
        var written = await writer.WriteAsync(new CopyRequest(input.Batch.Brief, work.Kind, work.Platform, input.Batch.Creativity, persona?.TriggerWord,
            PromptEncoder.T5, work.Feedback, previous?.Copy), ct);
        if (!work.ReplaceEdits && ManualEdits.Keep(written.Copy, earlier) is (var keptCopy, { Count: > 0 } kept))
            written = written with
            {
                Copy = keptCopy,
                Notes = [.. written.Notes, ManualEdits.Note(kept)],
            };
        var folder = BlobPaths.Join(owner, persona?.Id ?? "_posts", "posts", work.PostId, $"r{number}");
        // Written copy is rated before the picture is paid for; refused copy gets no picture and waits for review.
        var rating = await rater.RateAsync(string.Join("\n", [.. written.Copy.Texts, written.Prompt.Prompt]),
            persona?.Restrictions ?? [], ct);
        if (rating.Refused)
            written = written with { Notes = [.. written.Notes, $"No picture was made: {rating.Explanation}"] };

        IReadOnlyList<byte[]> photos = [];
        var assets = new List<PostAsset>();
        var seeds = new List<long>();
        string? provider = null;
        FaceSwapOutcome? swap = null;
        decimal cost = 0;
        if (persona is not null && !rating.Refused)
        {
            var size = PlatformSizeFor(work.Platform);
            var lora = pictures.Reference(persona, model!, model!.ActiveWeightsBlob);
            var request = new ImageRequest(persona.Id, written.Prompt.Prompt, lora, options.BlendStrength, size.Width, size.Height, work.Seed);
            var picture = await pictures.MakeAsync(owner, request, BlobPaths.Join(folder, "persona.jpg"), "post",
                new CostKey(instanceId, $"post/{work.PostId}/r{number}", 0), ct, input.Batch.Usage);
            provider = picture.Provider;
            if (input.Batch.FaceSwap)
            {
                swap = await faceSwap.ApplyAsync(owner, persona, picture, size.Width, size.Height,
                    new CostKey(instanceId, $"post/{work.PostId}/r{number}/faceswap", 0), input.Batch.Usage, ct);
                cost += faceSwap.EstimateUsd(1);
                // A kept swap replaced the stored picture: the cards show that one.
                if (swap.Kept)
                    picture = picture with { Bytes = await blobs.ReadAllBytesAsync(picture.Blob, ct) ?? picture.Bytes };
            }
            photos = provider == DryRunImageGenerator.ProviderName
                ? await StandInPhotosAsync(request, work.Kind == PostKind.Carousel ? written.Copy.Slides.Count : 1, ct)
                : [picture.Bytes];
            seeds.Add(picture.Seed);
            cost += picture.CostUsd;
            assets.Add(new PostAsset(picture.Blob, PostAsset.PersonaImage, VariantFor(work.Platform), size.Width, size.Height));
        }
        var style = await StyleAsync(owner, ct);
        // Each photo's face is found once, not once per card size.
        var cardPhotos = photos.Select(CardPhoto.Find).ToList();
        foreach (var card in Cards(written.Copy, input.Batch.Brief.ProjectTitle, photos.Count > 0))
            foreach (var (variant, (width, height)) in Variants)
            {
                var photo = cardPhotos.Count == 0 ? null : cardPhotos[((card.Slide ?? 1) - 1) % cardPhotos.Count];
                var rendered = PostGraphics.Render(photo, card.Text, style, width, height).Jpeg;
                if (provider == DryRunImageGenerator.ProviderName) rendered = Pictures.Labelled(rendered, DryRunImageGenerator.Label);
                var blob = BlobPaths.Join(folder, card.Slide is { } n ? $"slide-{n}-{variant}.jpg" : $"{card.Role}-{variant}.jpg");
                using (var content = new MemoryStream(rendered)) await blobs.PutAsync(blob, content, ct);
                assets.Add(new PostAsset(blob, card.Role, variant, width, height, card.Slide));
            }
        return new PostRevision(number, written.Copy, written.Prompt, assets, seeds, cost, clock.GetUtcNow())
        {
            Feedback = work.Feedback,
            ImageProvider = provider,
            FaceSwap = swap,
            Label = PersonaFaceSwap.Label(provider, swap),
            Notes = swap is null ? written.Notes : [.. written.Notes, swap.Note],
            Rating = rating,
        };
    }

    /// <summary>
    /// The dry run's photos for the cards: one per slide, each another of the persona's prepared photos (consecutive
    /// seeds pick consecutive photos), so a carousel does not show the same picture five times. A persona with fewer
    /// photos than slides repeats them in turn.
    /// </summary>
    private async Task<IReadOnlyList<byte[]>> StandInPhotosAsync(ImageRequest request, int count, CancellationToken ct)
    {
        var photos = new List<byte[]>();
        for (var i = 0; i < Math.Max(1, count); i++)
            photos.Add(await dryRun.SourcePhotoAsync(request with { Seed = request.Seed + i }, ct));
        return photos;
    }

    private static (int Width, int Height) PlatformSizeFor(SocialPlatform platform) => Size(platform.ToString());

    private static (int Width, int Height) Size(string platform) =>
        PlatformSizes.TryGet(platform, out var size) ? size : throw new InvalidOperationException($"No picture size for '{platform}'.");

    private sealed record Card(string Role, GraphicText Text, int? Slide = null);

    /// <summary>
    /// The cards a post carries: a quote card for quotes, one slide per carousel slide (numbered n/5), and for single
    /// posts and threads without a persona picture a card with the hook, so every platform has an image.
    /// </summary>
    private static IEnumerable<Card> Cards(PostCopy copy, string title, bool hasPhoto) => copy.Kind switch
    {
        PostKind.Quote => [new Card(PostAsset.QuoteCard, new GraphicText(QuoteOf(copy.Body), $"— {title}"))],
        PostKind.Carousel => copy.Slides.Select((s, i) => new Card(PostAsset.CarouselSlide, new GraphicText(s.Title, s.Text, $"{i + 1}/{copy.Slides.Count}"), i + 1)),
        _ when !hasPhoto => [new Card(PostAsset.QuoteCard, new GraphicText(copy.Hook, title))],
        _ => [],
    };

    /// <summary>The quotation itself: the body without the trailing "— source" the caption carries.</summary>
    private static string QuoteOf(string body)
    {
        var dash = body.LastIndexOf(" — ", StringComparison.Ordinal);
        return dash > 0 ? body[..dash] : body;
    }

    private async Task<GraphicStyle> StyleAsync(string owner, CancellationToken ct)
    {
        var kit = await posts.GetBrandKitAsync(owner, ct) ?? BrandKit.Default;
        var logo = kit.LogoBlob is { } blob ? await blobs.ReadAllBytesAsync(blob, ct) : null;
        return new GraphicStyle(BrandKit.Rgb(kit.TextColor), BrandKit.Rgb(kit.AccentColor), BrandKit.Rgb(kit.ScrimColor), kit.Font, kit.Watermark, logo);
    }
}
