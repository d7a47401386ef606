namespace Personas.Trainer.Callbacks;

/// <summary>
/// A callback was not delivered. <see cref="Status"/> is the host's last answer (0: no answer). When
/// <see cref="IsRejected"/>, the host refused it for good (401: signature or clock; 404: unknown run) and retrying
/// cannot help.
/// </summary>
public sealed class CallbackException(string message, int status, bool isRejected, Exception? inner = null)
    : Exception(message, inner)
{
    public int Status { get; } = status;
    public bool IsRejected { get; } = isRejected;
}
