using Microsoft.AspNetCore.Mvc;

namespace Personas.Api.Problems;

/// <summary>
/// Builds RFC 9457 problem details. When a specific input is at fault, <c>errors</c> names it (field → reasons),
/// in the same shape ASP.NET Core's validation problems use, so clients read every error one way. A 400 names each
/// field in <c>detail</c> too, for callers that show only that.
/// </summary>
public static class ProblemWriter
{
    public const string InvalidTitle = "The request is not valid";

    public static ProblemDetails Create(HttpContext context, int status, string title, string detail, string? field = null)
    {
        var problem = new ProblemDetails
        {
            Status = status, Title = title, Detail = detail, Instance = context.Request.Path,
        };
        if (field is not null) problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        // The same id ASP.NET Core's own problems carry.
        problem.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? context.TraceIdentifier;
        return problem;
    }

    public static IResult Result(HttpContext context, int status, string title, string detail, string? field = null) =>
        TypedResults.Problem(Create(context, status, title, detail, field));

    /// <summary>400 for one field; <c>detail</c> reads "field: reason".</summary>
    public static IResult Invalid(HttpContext context, string field, string reason) =>
        Invalid(context, new Dictionary<string, string[]> { [field] = [reason] });

    /// <summary>400 with every offending field and its reasons, in the order they were found.</summary>
    public static IResult Invalid(HttpContext context, IReadOnlyList<FieldProblem> problems) =>
        Invalid(context, FieldProblem.Group(problems));

    /// <summary>400 with every offending field and its reasons.</summary>
    public static IResult Invalid(HttpContext context, IDictionary<string, string[]> errors)
    {
        var problem = Create(context, StatusCodes.Status400BadRequest, InvalidTitle,
            string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        problem.Extensions["errors"] = errors;
        return TypedResults.Problem(problem);
    }

    public static Task WriteAsync(HttpContext context, int status, string title, string detail, string? field = null)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(Create(context, status, title, detail, field),
            (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}
