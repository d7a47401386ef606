namespace Personas.Trainer;

/// <summary>
/// The agent's log: one timestamped line per event on the container's stdout. Links are written without their query
/// string, so a SAS token never reaches the log; the callback secret is never passed here.
/// </summary>
public sealed class AgentLog(TextWriter output, TimeProvider clock)
{
    private readonly Lock _gate = new();

    public void Info(string message) => Write("info", message);

    public void Error(string message) => Write("error", message);

    /// <summary>A link as it may be logged: scheme, host and path only.</summary>
    public static string Safe(Uri uri) => uri.GetLeftPart(UriPartial.Path);

    private void Write(string level, string message)
    {
        lock (_gate) output.WriteLine($"{clock.GetUtcNow():yyyy-MM-ddTHH:mm:ss.fffZ} {level} {message}");
    }
}
