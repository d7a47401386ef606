using System.IO.Compression;
using Personas.Trainer.Dataset;

namespace Personas.Functions.Tests.Trainer;

public sealed class DatasetExtractorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("personas-extract-tests-").FullName;
    private string Target => Path.Combine(_root, "run", "dataset");

    public DatasetExtractorTests() => Directory.CreateDirectory(Path.Combine(_root, "run"));

    private string Zip(params (string Name, byte[] Content, int? UnixMode)[] entries)
    {
        var path = Path.Combine(_root, Guid.NewGuid().ToString("N") + ".zip");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, content, mode) in entries)
        {
            var entry = zip.CreateEntry(name);
            if (mode is { } m) entry.ExternalAttributes = m << 16;
            using var stream = entry.Open();
            stream.Write(content);
        }
        return path;
    }

    private static (string, byte[], int?) File(string name, int size = 10, int? mode = null) =>
        (name, Enumerable.Repeat((byte)'x', size).ToArray(), mode);

    [Fact]
    public async Task A_flat_dataset_is_unpacked_byte_for_byte()
    {
        var zip = Zip(File("01_zqx.jpg", 300), File("01_zqx.txt", 12), File("02_zqx.PNG", 40), File("02_zqx.txt"));

        Assert.Equal(2, await new DatasetExtractor(10, 10_000).ExtractAsync(zip, Target, default));

        Assert.Equal(["01_zqx.jpg", "01_zqx.txt", "02_zqx.PNG", "02_zqx.txt"],
            Directory.GetFiles(Target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(300, new FileInfo(Path.Combine(Target, "01_zqx.jpg")).Length);
    }

    [Theory]
    [InlineData("../escaped.txt")]
    [InlineData("../../escaped.jpg")]
    [InlineData("/tmp/escaped.jpg")]
    [InlineData("sub/01_zqx.jpg")]
    [InlineData("..\\escaped.jpg")]
    [InlineData("sub/")]
    [InlineData("run.sh")]
    [InlineData(".hidden.jpg")]
    public async Task An_entry_that_is_not_a_flat_image_or_caption_is_refused_and_nothing_is_written(string name)
    {
        var zip = Zip(File("01_zqx.jpg"), File(name));

        var error = await Assert.ThrowsAsync<DatasetException>(() =>
            new DatasetExtractor(10, 10_000).ExtractAsync(zip, Target, default));

        Assert.Contains("only flat image", error.Message);
        Assert.False(Directory.Exists(Target));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_root, "run")));
        Assert.All(Directory.GetFileSystemEntries(_root, "*", SearchOption.AllDirectories),
            path => Assert.True(path.EndsWith(".zip", StringComparison.Ordinal) || path == Path.Combine(_root, "run"), path));
    }

    [Fact]
    public async Task A_symlink_entry_is_refused()
    {
        var zip = Zip(File("01_zqx.jpg"), File("02_zqx.jpg", mode: 0xA1FF)); // S_IFLNK | 0777

        var error = await Assert.ThrowsAsync<DatasetException>(() =>
            new DatasetExtractor(10, 10_000).ExtractAsync(zip, Target, default));
        Assert.Contains("'02_zqx.jpg' is a link", error.Message);
    }

    [Fact]
    public async Task Regular_files_with_unix_modes_are_accepted()
    {
        var zip = Zip(File("01_zqx.jpg", mode: 0x81A4)); // S_IFREG | 0644, as Info-ZIP writes it
        Assert.Equal(1, await new DatasetExtractor(10, 10_000).ExtractAsync(zip, Target, default));
    }

    [Fact]
    public async Task Too_many_entries_too_many_bytes_duplicates_no_images_and_non_zips_are_refused()
    {
        var extractor = new DatasetExtractor(3, 1000);
        async Task<string> Refusal(string zip) =>
            (await Assert.ThrowsAsync<DatasetException>(() => extractor.ExtractAsync(zip, Target, default))).Message;

        Assert.Contains("4 entries; the limit is 3",
            await Refusal(Zip(File("1.jpg"), File("2.jpg"), File("3.jpg"), File("4.jpg"))));
        Assert.Contains("more than the limit of 1000 bytes", await Refusal(Zip(File("1.jpg", 600), File("2.jpg", 600))));
        Assert.Contains("holds '01_ZQX.jpg' twice", await Refusal(Zip(File("01_zqx.jpg"), File("01_ZQX.jpg"))));
        Assert.Contains("no images", await Refusal(Zip(File("01_zqx.txt"))));
        var notZip = Path.Combine(_root, "not.zip");
        await System.IO.File.WriteAllTextAsync(notZip, "this is not a zip");
        Assert.Contains("not a valid zip", await Refusal(notZip));
        Assert.False(Directory.Exists(Target));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
