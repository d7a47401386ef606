using Microsoft.Extensions.DependencyInjection;
using Personas.Api.Photos;
using Personas.Api.Recovery;
using Personas.Domain.Blobs;
using Personas.Domain.Stores;
using Personas.TestPhotos;

namespace Personas.Functions.Tests.Hardening.Crash;

/// <summary>The host's blob store, watched: whether a note named each photo blob before it was written.</summary>
public sealed class NoteWatchingHost : ApiHost
{
    public List<(string Blob, bool Noted)> PhotoPuts { get; } = [];

    protected override void ReplaceServices(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IBlobStore));
        services.Remove(original);
        services.AddSingleton<IBlobStore>(sp => new WatchedBlobs(
            original.ImplementationInstance as IBlobStore ?? (IBlobStore)original.ImplementationFactory!(sp),
            sp.GetRequiredService<UploadNotes>(), PhotoPuts));
    }

    private sealed class WatchedBlobs(IBlobStore inner, UploadNotes notes, List<(string, bool)> puts) : IBlobStore
    {
        public Task PutAsync(string path, Stream content, CancellationToken ct = default)
        {
            if (path.Contains("/photos/", StringComparison.Ordinal))
                lock (puts) puts.Add((path, Noted(path)));
            return inner.PutAsync(path, content, ct);
        }

        private bool Noted(string path) => Directory.Exists(notes.Folder) && Directory.EnumerateFiles(notes.Folder)
            .Any(f => File.ReadAllText(f).Contains(path, StringComparison.Ordinal));

        public Task<Stream?> OpenReadAsync(string path, CancellationToken ct = default) =>
            inner.OpenReadAsync(path, ct);
        public Task<bool> DeleteAsync(string path, CancellationToken ct = default) => inner.DeleteAsync(path, ct);
        public Task<int> DeletePrefixAsync(string prefix, CancellationToken ct = default) =>
            inner.DeletePrefixAsync(prefix, ct);
    }
}

/// <summary>
/// Uploads never leave an orphan: their blobs are noted first, and the sweep removes what a kill left.
/// </summary>
public sealed class UploadLeftoverTests(NoteWatchingHost host) : IClassFixture<NoteWatchingHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);
    private T Service<T>() where T : notnull => host.App.Services.GetRequiredService<T>();

    private UploadLeftoverSweep Sweep(double minutes) => new(Service<UploadNotes>(), Service<ICatalog>(),
        Service<IBlobStore>(), new RecoverySettings { LeftoverMinutes = minutes }, TimeProvider.System);

    [Fact]
    public async Task Photo_blobs_are_noted_before_they_are_written_and_the_note_goes_when_the_rows_commit()
    {
        await TrainingApiTests.PersonaWithPhotosAsync(_alice, "zqxnoted");

        Assert.Equal(2, host.PhotoPuts.Count);
        Assert.All(host.PhotoPuts, put => Assert.True(put.Noted, $"{put.Blob} was written before a note named it"));
        Assert.Empty(Directory.EnumerateFiles(Service<UploadNotes>().Folder));
    }

    [Fact]
    public async Task The_sweep_removes_noted_blobs_no_row_holds_and_old_staging_folders_and_keeps_the_rest()
    {
        var persona = await TrainingApiTests.PersonaWithPhotosAsync(_alice, "zqxswept");
        var blobs = Service<IBlobStore>();
        var kept = (await Service<ICatalog>().ListPhotosAsync("alice", persona))[0].Blob;
        var orphan = BlobPaths.Join("alice", persona, "photos", "orphan.jpg");
        using (var content = new MemoryStream(Samples.Load("obama.jpg"))) await blobs.PutAsync(orphan, content);
        // What a host killed after writing the blob and before the photo row leaves behind.
        var notes = Service<UploadNotes>();
        await notes.WriteAsync(new UploadNote("alice", persona, [orphan, kept]), CancellationToken.None);
        var staging = Directory.CreateDirectory(Path.Combine(notes.StagingFolder, "leftover")).FullName;
        File.WriteAllText(Path.Combine(staging, "00.upload"), "x");

        Assert.Equal((0, 0), await Sweep(30).RunAsync(CancellationToken.None)); // too recent: an upload may still run
        Directory.SetLastWriteTimeUtc(staging, DateTime.UtcNow.AddMinutes(-1));
        Assert.Equal((1, 1), await Sweep(0).RunAsync(CancellationToken.None));

        Assert.Null(await blobs.OpenReadAsync(orphan));
        await using (var still = await blobs.OpenReadAsync(kept)) Assert.NotNull(still);
        Assert.False(Directory.Exists(staging));
        Assert.Empty(Directory.EnumerateFiles(Service<UploadNotes>().Folder));
    }
}
