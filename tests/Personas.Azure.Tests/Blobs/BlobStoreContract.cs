using Personas.Domain.Blobs;

namespace Personas.Azure.Tests.Blobs;

/// <summary>What every <see cref="IBlobStore"/> promises; each implementation runs these same facts.</summary>
public abstract class BlobStoreContract
{
    protected abstract IBlobStore Store { get; }

    public static TheoryData<string> InvalidPaths() =>
        ["", "/a", "a/", "a//b", "../a", "a/../b", "a/./b", "a b", "a\\b", "a/b?c", "a/%2e%2e"];

    [Fact]
    public async Task A_written_blob_reads_back_byte_for_byte()
    {
        var bytes = Payload(seed: 1, length: 300_000);
        await Store.PutAsync("photos/p1/original.jpg", new MemoryStream(bytes));

        Assert.Equal(bytes, await Store.ReadAllBytesAsync("photos/p1/original.jpg"));
    }

    [Fact]
    public async Task A_second_write_replaces_the_first()
    {
        await Store.PutAsync("doc/v.txt", new MemoryStream(Payload(seed: 1, length: 5000)));
        var second = Payload(seed: 2, length: 10);
        await Store.PutAsync("doc/v.txt", new MemoryStream(second));

        Assert.Equal(second, await Store.ReadAllBytesAsync("doc/v.txt"));
    }

    [Fact]
    public async Task A_missing_blob_reads_as_null_and_deletes_as_false()
    {
        Assert.Null(await Store.OpenReadAsync("nothing/here.bin"));
        Assert.False(await Store.DeleteAsync("nothing/here.bin"));
        Assert.Equal(0, await Store.DeletePrefixAsync("nothing"));
    }

    [Fact]
    public async Task A_deleted_blob_is_gone()
    {
        await Store.PutAsync("gone/soon.bin", new MemoryStream([1, 2, 3]));

        Assert.True(await Store.DeleteAsync("gone/soon.bin"));
        Assert.Null(await Store.OpenReadAsync("gone/soon.bin"));
        Assert.False(await Store.DeleteAsync("gone/soon.bin"));
    }

    [Theory]
    [MemberData(nameof(InvalidPaths))]
    public async Task An_invalid_path_is_refused_before_the_content_is_read(string path)
    {
        var content = new ObservedStream(new MemoryStream([1, 2, 3]));

        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(path, content));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync(path));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(path));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeletePrefixAsync(path));
        Assert.Equal(0, content.BytesRead);
    }

    [Fact]
    public async Task Deleting_a_prefix_counts_what_is_under_it_and_spares_its_neighbours()
    {
        foreach (var path in new[] { "a/b/1.bin", "a/b/2.bin", "a/b/c/3.bin", "a/bc/4.bin", "a/b.bin", "ab/5.bin" })
            await Store.PutAsync(path, new MemoryStream([7]));

        Assert.Equal(3, await Store.DeletePrefixAsync("a/b"));

        Assert.Null(await Store.OpenReadAsync("a/b/1.bin"));
        Assert.Null(await Store.OpenReadAsync("a/b/c/3.bin"));
        foreach (var spared in new[] { "a/bc/4.bin", "a/b.bin", "ab/5.bin" })
            Assert.Equal([7], await Store.ReadAllBytesAsync(spared));
        Assert.Equal(0, await Store.DeletePrefixAsync("a/b"));
    }

    [Fact]
    public async Task Concurrent_writers_leave_one_whole_version_and_readers_never_see_a_mix()
    {
        const int Writers = 6;
        const int Length = 512 * 1024;
        var versions = Enumerable.Range(1, Writers).Select(i => Payload(seed: i, length: Length)).ToArray();
        using var writing = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            var seen = 0;
            while (!writing.IsCancellationRequested)
            {
                var read = await Store.ReadAllBytesAsync("race/blob.bin");
                if (read is null) continue;
                Assert.Contains(versions, v => v.AsSpan().SequenceEqual(read));
                seen++;
            }
            return seen;
        });

        await Task.WhenAll(versions.Select(v => Task.Run(() => Store.PutAsync("race/blob.bin", new MemoryStream(v)))));
        await writing.CancelAsync();
        await reader;

        var final = await Store.ReadAllBytesAsync("race/blob.bin");
        Assert.NotNull(final);
        Assert.Contains(versions, v => v.AsSpan().SequenceEqual(final));
    }

    [Fact]
    public async Task A_write_whose_source_fails_leaves_no_blob()
    {
        var failing = new FailingStream(Payload(seed: 3, length: 200_000), failAfter: 100_000);

        await Assert.ThrowsAnyAsync<Exception>(() => Store.PutAsync("broken/new.bin", failing));

        Assert.True(failing.Failed);
        Assert.Null(await Store.OpenReadAsync("broken/new.bin"));
    }

    [Fact]
    public async Task A_failed_overwrite_keeps_the_previous_version()
    {
        var previous = Payload(seed: 4, length: 1000);
        await Store.PutAsync("broken/old.bin", new MemoryStream(previous));
        var failing = new FailingStream(Payload(seed: 5, length: 200_000), failAfter: 100_000);

        await Assert.ThrowsAnyAsync<Exception>(() => Store.PutAsync("broken/old.bin", failing));

        Assert.True(failing.Failed);
        Assert.Equal(previous, await Store.ReadAllBytesAsync("broken/old.bin"));
    }

    protected static byte[] Payload(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
