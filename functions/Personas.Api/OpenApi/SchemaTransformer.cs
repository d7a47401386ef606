using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Personas.Api.OpenApi;

/// <summary>
/// Answers leave out null fields (JsonIgnoreCondition.WhenWritingNull), so a property that may be null is not
/// required; the generator marks every record parameter required.
/// </summary>
internal sealed class SchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context,
        CancellationToken cancellationToken)
    {
        if (schema.Required is { Count: > 0 } required && schema.Properties is { } properties)
            foreach (var (name, property) in properties)
                if (MayBeNull(property)) required.Remove(name);
        return Task.CompletedTask;
    }

    private static bool MayBeNull(IOpenApiSchema schema) => schema is OpenApiSchema concrete
        && (concrete.Type is { } type && type.HasFlag(JsonSchemaType.Null)
            || concrete.OneOf?.Any(MayBeNull) == true || concrete.AnyOf?.Any(MayBeNull) == true);
}
