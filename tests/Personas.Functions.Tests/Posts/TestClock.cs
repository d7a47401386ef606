namespace Personas.Functions.Tests.Posts;

/// <summary>
/// The test clock: real time plus an offset the test moves forward, so a day-long reminder or an hour-ahead schedule
/// is reached at once while timers and delays keep running on real time.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
