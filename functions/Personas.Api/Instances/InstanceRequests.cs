using System.Text.RegularExpressions;

namespace Personas.Api.Instances;

/// <summary>
/// The shapes route values and headers must have, checked before anything is read or written. Patterns end in
/// <c>\z</c>, not <c>$</c>: <c>$</c> also matches before a final line feed, so "id\n" would pass.
/// </summary>
internal static partial class InstanceRequests
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}\\z")]
    public static partial Regex InstanceId();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\\z")]
    public static partial Regex EventName();

    [GeneratedRegex("^[\\x21-\\x7E]{1,255}\\z")]
    public static partial Regex IdempotencyKey();

    public const string InstanceIdRule = "Use 1 to 100 letters, digits, '_', '.', ':' or '-', starting with a letter or digit.";
    public const string EventNameRule = "Use 1 to 100 letters, digits, '_', '.' or '-', starting with a letter or digit.";
    public const string IdempotencyKeyRule = "Use 1 to 255 visible ASCII characters.";
    public const int MaxReasonLength = 1000;
}
