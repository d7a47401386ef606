using Microsoft.AspNetCore.Diagnostics;

namespace Personas.Functions.Problems;

/// <summary>
/// Turns exceptions that escape an endpoint into problem details. Known ones get their proper status and a
/// useful message; anything else is a 500 that says only that it happened and which trace to look up.
/// </summary>
public sealed class ExceptionProblems(ILogger<ExceptionProblems> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, field) = exception switch
        {
            BadHttpRequestException { StatusCode: 413 } =>
                (413, "Body too large", "The request body is larger than this endpoint accepts.", (string?)"body"),
            BadHttpRequestException e => (e.StatusCode, "Bad request", e.Message, null),
            _ => (500, "Internal error", "Something went wrong on our side. Quote the traceId if you report it.", null),
        };
        if (status >= 500) logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
        await ProblemWriter.WriteAsync(context, status, title, detail, field);
        return true;
    }
}
