using Grpc.Core;
using Microsoft.AspNetCore.Diagnostics;

namespace Personas.Api.Problems;

/// <summary>
/// Turns exceptions that escape an endpoint into problem details. Known ones get their proper status and a stable
/// message of ours; the exception's own text (backend details, framework wording) goes to the log, never to the
/// caller. Anything else is a 500 that says only that it happened and which trace to look up.
/// </summary>
public sealed class ExceptionProblems(ILogger<ExceptionProblems> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception,
        CancellationToken cancellationToken)
    {
        var (status, title, detail, field) = exception switch
        {
            // The SDK's client reaches the durable backend over gRPC: an instance that vanished, or changed state,
            // between an endpoint's check and its call comes back as one of these.
            RpcException { StatusCode: StatusCode.NotFound } =>
                (404, "Not found", "No such instance exists for this caller.", "instanceId"),
            RpcException { StatusCode: StatusCode.FailedPrecondition or StatusCode.AlreadyExists } =>
                (409, "Conflict", "The instance exists already, or its state does not allow this now.", "instanceId"),
            BadHttpRequestException { StatusCode: 413 } =>
                (413, "Body too large", "The request body is larger than this endpoint accepts.", (string?)"body"),
            BadHttpRequestException e => (e.StatusCode, "Bad request", BadRequestDetail(e.StatusCode), null),
            _ => (500, "Internal error", "Something went wrong on our side. Quote the traceId if you report it.", null),
        };
        if (status >= 500)
            logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method,
                context.Request.Path);
        else
            logger.LogInformation("{Method} {Path} answered {Status}: {Reason}", context.Request.Method,
                context.Request.Path, status, exception.Message);
        await ProblemWriter.WriteAsync(context, status, title, detail, field);
        return true;
    }

    /// <summary>Our words for Kestrel's refusals of a request it could not read.</summary>
    private static string BadRequestDetail(int status) => status switch
    {
        StatusCodes.Status408RequestTimeout => "The request body arrived too slowly.",
        StatusCodes.Status411LengthRequired => "Send a Content-Length or a chunked body.",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "The request headers are too large.",
        _ => "The request could not be read: its HTTP framing or body is malformed.",
    };
}
