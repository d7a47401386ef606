namespace Personas.Azure.Tests.Blobs;

/// <summary>A clock the test sets: links signed "in the past" are already expired when used.</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
