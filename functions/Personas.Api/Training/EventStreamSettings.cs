namespace Personas.Api.Training;

/// <summary>The persona event stream's timings (<c>GET /api/personas/{id}/events</c>).</summary>
public sealed class EventStreamSettings
{
    public const string Section = "Personas:Events";

    /// <summary>How long the stream may be silent before a <c>: keep-alive</c> comment, in seconds (15).</summary>
    public double KeepAliveSeconds { get; set; } = 15;

    /// <summary>The first frame's <c>retry:</c>: how soon a client reconnects, in milliseconds (3000).</summary>
    public int RetryMilliseconds { get; set; } = 3000;
}
