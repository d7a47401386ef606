namespace Personas.Durable;

/// <summary>A serializable description of an exception that crossed a durable boundary.</summary>
public sealed record TaskFailureDetails(string ErrorType, string ErrorMessage, string? StackTrace = null, TaskFailureDetails? InnerFailure = null)
{
    public static TaskFailureDetails FromException(Exception ex, bool includeStackTrace = true) => ex switch
    {
        // A failed child task already carries the root cause; keep it rather than a wrapper.
        TaskFailedException tfe => new(tfe.GetType().FullName!, tfe.Message, includeStackTrace ? tfe.StackTrace : null, tfe.FailureDetails),
        _ => new(ex.GetType().FullName!, ex.Message, includeStackTrace ? ex.StackTrace : null,
            ex.InnerException is null ? null : FromException(ex.InnerException, includeStackTrace)),
    };

    /// <summary>True when the failure (or a failure it wraps) was an exception of type <typeparamref name="T"/> or a subclass.</summary>
    public bool IsCausedBy<T>() where T : Exception
    {
        for (var f = this; f is not null; f = f.InnerFailure)
        {
            var type = Type.GetType(f.ErrorType, throwOnError: false)
                ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(f.ErrorType, false)).FirstOrDefault(t => t is not null);
            if (type is not null && typeof(T).IsAssignableFrom(type)) return true;
        }
        return false;
    }

    public override string ToString() => $"{ErrorType}: {ErrorMessage}";
}
