namespace Personas.Functions.Tests;

/// <summary>
/// Waits on a condition with a deadline (never a fixed sleep): polls every 50 ms until the probe yields a value. The
/// deadlines are generous: they only bound a failing run, and CI machines run every test project at once.
/// </summary>
internal static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, string what, int seconds = 120) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited {seconds} s for {what}.");
            await Task.Delay(50);
        }
    }

    public static Task<T> GetAsync<T>(Func<T?> probe, string what, int seconds = 120) where T : class =>
        GetAsync(() => Task.FromResult(probe()), what, seconds);
}
