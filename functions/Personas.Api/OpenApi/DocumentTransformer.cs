using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Personas.Api.Auth;

namespace Personas.Api.OpenApi;

/// <summary>
/// The document as a whole: its title, the X-Api-Key scheme (which operations use is set per operation, see
/// <see cref="OperationTransformer"/>), and the start route without an instance id, which ASP.NET Core folds into the
/// one with the optional segment.
/// </summary>
internal sealed class DocumentTransformer : IOpenApiDocumentTransformer
{
    public const string StartWithId = "/api/orchestrators/{name}/{instanceId}";
    public const string StartWithoutId = "/api/orchestrators/{name}";
    public const string Path = "/api/openapi.json";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context,
        CancellationToken cancellationToken)
    {
        document.Info.Title = "Personas API";
        document.Info.Description = "Personas: consented likeness models, pictures and social posts. Every route but "
            + "webhooks, signed blob links, /api/health/live and this document needs the X-Api-Key header. Errors are "
            + "RFC 9457 problem+json; `errors` names each field at fault. Lists are paged with offset and limit.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            Description = "An API key from Personas:ApiKeys, or the dev key that `./personas serve` prints.",
        };
        SplitOptionalInstanceId(document);
        DescribeItself(document);
        return Task.CompletedTask;
    }

    /// <summary>MapOpenApi leaves its own route out of the document; a client finds it here too.</summary>
    private static void DescribeItself(OpenApiDocument document) =>
        document.Paths[Path] = new OpenApiPathItem
        {
            Operations = new()
            {
                [HttpMethod.Get] = new OpenApiOperation
                {
                    OperationId = "OpenApi", Summary = "This document (OpenAPI 3.1). Anonymous.",
                    Tags = new HashSet<OpenApiTagReference> { new("OpenApi", document) },
                    Security = [],
                    Responses = new OpenApiResponses
                    {
                        ["200"] = new OpenApiResponse
                        {
                            Description = "The OpenAPI document.",
                            Content = new Dictionary<string, OpenApiMediaType>
                            {
                                ["application/json"] = new()
                                {
                                    Schema = new OpenApiSchema { Type = JsonSchemaType.Object },
                                },
                            },
                        },
                        ["429"] = Problem(document, 429),
                        ["500"] = Problem(document, 500),
                    },
                },
            },
        };

    private static OpenApiResponse Problem(OpenApiDocument document, int status) => new()
    {
        Description = ApiProblem.Describe(status),
        Content = new Dictionary<string, OpenApiMediaType>
        {
            [OperationTransformer.ProblemJson] = new()
            {
                Schema = new OpenApiSchemaReference(nameof(ApiProblem), document),
                Example = ApiProblem.Example(status, null),
            },
        },
    };

    /// <summary>
    /// <c>{instanceId?}</c> is one route but two paths: OpenAPI path parameters are always required.
    /// </summary>
    private static void SplitOptionalInstanceId(OpenApiDocument document)
    {
        if (document.Paths.GetValueOrDefault(StartWithId) is not OpenApiPathItem withId
            || withId.Operations is null) return;
        var withoutId = new OpenApiPathItem { Operations = [] };
        foreach (var (method, operation) in withId.Operations)
        {
            var copy = new OpenApiOperation(operation)
            {
                OperationId = operation.OperationId + "WithoutInstanceId",
                Parameters = operation.Parameters?.Where(p => p.Name != "instanceId").ToList(),
            };
            withoutId.Operations[method] = copy;
            foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
                if (parameter.Name == "instanceId") parameter.Required = true;
        }
        document.Paths[StartWithoutId] = withoutId;
    }
}
