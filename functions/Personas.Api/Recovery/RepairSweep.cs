namespace Personas.Api.Recovery;

/// <summary>
/// One pass of every repair: stranded personas, stranded posts, upload leftovers. The local host runs it when it
/// starts (<see cref="StartupRepair"/>), the Function App on a timer. A repair that fails is logged and the next pass
/// tries again.
/// </summary>
public sealed class RepairSweep(StrandedWorkRepair personas, StrandedPostRepair posts, UploadLeftoverSweep uploads,
    ILogger<RepairSweep> log)
{
    /// <param name="unchangedFor">How long a persona or post must have been left as it is to count as stranded.</param>
    public async Task RunAsync(TimeSpan unchangedFor, CancellationToken ct)
    {
        try
        {
            var personasRepaired = await personas.RunAsync(unchangedFor, ct);
            var postsRepaired = await posts.RunAsync(unchangedFor, ct);
            var (blobs, folders) = await uploads.RunAsync(ct);
            if (personasRepaired.Count + postsRepaired.Count + blobs + folders > 0)
                log.LogWarning("Repair: {Personas} persona(s) and {Posts} post(s) released from stopped work; "
                    + "{Blobs} upload blob(s) and {Folders} staging folder(s) removed.",
                    personasRepaired.Count, postsRepaired.Count, blobs, folders);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogError(ex, "The repair of stranded work failed; the next pass tries again.");
        }
    }
}
