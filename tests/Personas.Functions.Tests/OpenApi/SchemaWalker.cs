using System.Text.Json;
using System.Text.Json.Nodes;

namespace Personas.Functions.Tests.OpenApi;

/// <summary>
/// Finds what a real JSON answer carries that its documented schema does not declare: every property of every
/// object, through arrays, $ref, allOf/anyOf/oneOf and dictionaries (additionalProperties). A schema that says
/// nothing at all (<c>{}</c>, JSON of any shape: an instance's input, a provider's payload), alone or as one of the
/// choices of a oneOf, accepts anything.
/// Hand-written over System.Text.Json on purpose: no validator package is vetted for this repo.
/// </summary>
public sealed class SchemaWalker(JsonObject document)
{
    /// <summary>Each JSON path in <paramref name="value"/> that the schema leaves undeclared.</summary>
    public List<string> Undeclared(JsonNode? value, JsonNode? schema, string path = "$")
    {
        var found = new List<string>();
        Walk(value, schema, path, found, 0);
        return found;
    }

    private void Walk(JsonNode? value, JsonNode? schema, string path, List<string> found, int depth)
    {
        if (value is null || schema is not JsonObject) return;
        if (depth > 64) throw new InvalidOperationException($"Schema nesting too deep at {path}.");
        var branches = Branches(schema.AsObject()).ToList();
        switch (value)
        {
            case JsonObject obj:
                if (branches.Any(FreeForm)) return;
                if (!branches.Any(b => Types(b).Contains("object") || b["properties"] is not null
                        || b["additionalProperties"] is JsonObject))
                {
                    found.Add($"{path}: an object where the schema has none");
                    return;
                }
                foreach (var (name, child) in obj)
                {
                    var declared = branches.Select(b => b["properties"]?[name]).FirstOrDefault(s => s is not null)
                        ?? branches.Select(b => b["additionalProperties"]).FirstOrDefault(s => s is JsonObject);
                    if (declared is null) found.Add($"{path}.{name}");
                    else Walk(child, declared, $"{path}.{name}", found, depth + 1);
                }
                break;
            case JsonArray array:
                if (branches.Any(FreeForm)) return;
                var items = branches.Select(b => b["items"]).FirstOrDefault(s => s is not null);
                if (items is null)
                {
                    if (!branches.Any(b => Types(b).Contains("array")))
                        found.Add($"{path}: an array where the schema has none");
                    return;
                }
                for (var i = 0; i < array.Count; i++) Walk(array[i], items, $"{path}[{i}]", found, depth + 1);
                break;
        }
    }

    /// <summary>The schema and every schema it refers to or combines, flattened.</summary>
    private IEnumerable<JsonObject> Branches(JsonObject schema)
    {
        var resolved = Resolve(schema);
        yield return resolved;
        foreach (var key in new[] { "allOf", "anyOf", "oneOf" })
            foreach (var part in resolved[key]?.AsArray() ?? [])
                if (part is JsonObject o)
                    foreach (var inner in Branches(o))
                        yield return inner;
    }

    public JsonObject Resolve(JsonObject schema)
    {
        for (var hops = 0; schema["$ref"] is { } reference; hops++)
        {
            if (hops > 32) throw new InvalidOperationException("$ref loop");
            var target = reference.GetValue<string>();
            Assert.StartsWith("#/", target);
            JsonNode? node = document;
            foreach (var part in target[2..].Split('/')) node = node?[part.Replace("~1", "/").Replace("~0", "~")];
            schema = Assert.IsType<JsonObject>(node, exactMatch: false);
        }
        return schema;
    }

    private static HashSet<string> Types(JsonObject schema) => schema["type"] switch
    {
        JsonArray many => many.Select(t => t!.GetValue<string>()).ToHashSet(),
        JsonValue one when one.GetValueKind() == JsonValueKind.String => [one.GetValue<string>()],
        _ => [],
    };

    /// <summary>A schema that constrains nothing: no type, no properties, no items, no combinators.</summary>
    private static bool FreeForm(JsonObject schema) =>
        schema["type"] is null && schema["properties"] is null && schema["items"] is null
        && schema["allOf"] is null && schema["anyOf"] is null && schema["oneOf"] is null && schema["$ref"] is null
        && schema["additionalProperties"] is null;
}
