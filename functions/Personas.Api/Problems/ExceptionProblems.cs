using Grpc.Core;
using Microsoft.AspNetCore.Diagnostics;

namespace Personas.Api.Problems;

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
            // The SDK's client reaches the durable backend over gRPC: an instance that vanished, or changed state,
            // between an endpoint's check and its call comes back as one of these.
            RpcException { StatusCode: StatusCode.NotFound } =>
                (404, "Not found", "No such instance exists for this caller.", "instanceId"),
            RpcException { StatusCode: StatusCode.FailedPrecondition or StatusCode.AlreadyExists } e =>
                (409, "Conflict", e.Status.Detail, "instanceId"),
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
