namespace Personas.Trainer.Dataset;

/// <summary>Copies a stream while counting, so a size cap holds whatever a header or a zip directory claimed.</summary>
internal static class BoundedCopy
{
    /// <returns>The bytes copied.</returns>
    public static async Task<long> CopyAsync(Stream source, Stream target, long maxBytes, string what,
        CancellationToken ct)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > maxBytes) throw new DatasetException($"{what} is larger than the limit of {maxBytes} bytes.");
            await target.WriteAsync(buffer.AsMemory(0, read), ct);
        }
        return total;
    }
}
