using Microsoft.AspNetCore.Mvc;

namespace Personas.Api.Problems;

/// <summary>
/// Builds RFC 9457 problem details. When a specific input is at fault, <c>errors</c> names it (field → reasons),
/// in the same shape ASP.NET Core's validation problems use, so clients read every error one way.
/// </summary>
public static class ProblemWriter
{
    public static ProblemDetails Create(HttpContext context, int status, string title, string detail, string? field = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = context.Request.Path };
        if (field is not null) problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        problem.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? context.TraceIdentifier; // the same id ASP.NET Core's own problems carry
        return problem;
    }

    public static IResult Result(HttpContext context, int status, string title, string detail, string? field = null) =>
        TypedResults.Problem(Create(context, status, title, detail, field));

    public static IResult Invalid(HttpContext context, string field, string reason) =>
        Result(context, StatusCodes.Status400BadRequest, "The request is not valid", reason, field);

    /// <summary>400 with every offending field and its reasons.</summary>
    public static IResult Invalid(HttpContext context, IDictionary<string, string[]> errors)
    {
        var problem = Create(context, StatusCodes.Status400BadRequest, "The request is not valid",
            string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        problem.Extensions["errors"] = errors;
        return TypedResults.Problem(problem);
    }

    public static Task WriteAsync(HttpContext context, int status, string title, string detail, string? field = null)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(Create(context, status, title, detail, field), (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}
