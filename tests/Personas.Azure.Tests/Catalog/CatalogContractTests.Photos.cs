using static Personas.Azure.Tests.Catalog.CatalogSamples;

namespace Personas.Azure.Tests.Catalog;

public abstract partial class CatalogContractTests
{
    [Fact]
    public async Task Photos_are_added_all_or_nothing_within_the_cap()
    {
        var (owner, persona) = await NewPersonaAsync();

        Assert.True(await Catalog.TryAddPhotosAsync(owner, persona, [.. PhotosFor(owner, persona, 3)], maxPhotos: 5));
        Assert.False(await Catalog.TryAddPhotosAsync(owner, persona, [.. PhotosFor(owner, persona, 3)], maxPhotos: 5));
        Assert.True(await Catalog.TryAddPhotosAsync(owner, persona, [.. PhotosFor(owner, persona, 2)], maxPhotos: 5));

        Assert.Equal(5, (await Catalog.ListPhotosAsync(owner, persona)).Count);
    }

    [Fact]
    public async Task Concurrent_adds_never_exceed_the_cap()
    {
        var (owner, persona) = await NewPersonaAsync();

        var added = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => Task.Run(() =>
            Catalog.TryAddPhotosAsync(owner, persona, [.. PhotosFor(owner, persona, 2)], maxPhotos: 5))));

        Assert.Equal(2, added.Count(ok => ok));
        Assert.Equal(4, (await Catalog.ListPhotosAsync(owner, persona)).Count);
    }

    [Fact]
    public async Task Photos_read_back_exactly_in_creation_order_and_only_for_their_owner()
    {
        var (owner, persona) = await NewPersonaAsync();
        // Beyond 2^53: a JSON number stored as a double would come back changed.
        var late = Photo(owner, persona, second: 9, differenceHash: ulong.MaxValue - 6);
        var early = Photo(owner, persona, second: 1, differenceHash: (1UL << 60) + 1);

        Assert.True(await Catalog.TryAddPhotosAsync(owner, persona, [late, early], maxPhotos: 20));

        Assert.Equal([Json(early), Json(late)], (await Catalog.ListPhotosAsync(owner, persona)).Select(Json));
        Assert.Empty(await Catalog.ListPhotosAsync(NewOwner(), persona));
    }

    [Fact]
    public async Task A_photo_update_is_stored()
    {
        var (owner, persona) = await NewPersonaAsync();
        var photo = Photo(owner, persona);
        Assert.True(await Catalog.TryAddPhotosAsync(owner, persona, [photo], maxPhotos: 20));

        await Catalog.UpdatePhotoAsync(photo with { FramedBlob = "framed/1.jpg" });

        Assert.Equal("framed/1.jpg", Assert.Single(await Catalog.ListPhotosAsync(owner, persona)).FramedBlob);
    }

    [Fact]
    public async Task Deleting_a_photo_returns_it_and_frees_its_place_under_the_cap()
    {
        var (owner, persona) = await NewPersonaAsync();
        var photos = PhotosFor(owner, persona, 3).ToList();
        Assert.True(await Catalog.TryAddPhotosAsync(owner, persona, photos, maxPhotos: 3));

        Assert.Null(await Catalog.DeletePhotoAsync(owner, "another-persona", photos[0].Id));
        Assert.Null(await Catalog.DeletePhotoAsync(NewOwner(), persona, photos[0].Id));
        Assert.Equal(photos[0].Id, (await Catalog.DeletePhotoAsync(owner, persona, photos[0].Id))!.Id);
        Assert.Null(await Catalog.DeletePhotoAsync(owner, persona, photos[0].Id));

        Assert.True(await Catalog.TryAddPhotosAsync(owner, persona, [.. PhotosFor(owner, persona, 1)], maxPhotos: 3));
        Assert.Equal(3, (await Catalog.ListPhotosAsync(owner, persona)).Count);
    }

    private async Task<(string Owner, string PersonaId)> NewPersonaAsync()
    {
        var owner = NewOwner();
        var persona = Persona(owner);
        Assert.True(await Catalog.TryCreatePersonaAsync(persona));
        return (owner, persona.Id);
    }

    private static IEnumerable<Domain.Photos.Photo> PhotosFor(string owner, string persona, int count) =>
        Enumerable.Range(0, count).Select(i => Photo(owner, persona, second: i));
}
