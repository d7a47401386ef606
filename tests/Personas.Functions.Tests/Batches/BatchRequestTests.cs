using System.Text.Json.Nodes;
using Personas.Api.Batches;

namespace Personas.Functions.Tests.Batches;

/// <summary>
/// Limits a JSON body of the test host's size cannot reach (the host's 413 comes first); a deployment may raise
/// Personas:MaxJsonBodyBytes.
/// </summary>
public sealed class BatchRequestTests
{
    [Theory]
    [InlineData(100, true)]
    [InlineData(101, false)]
    public void Prompts_together_are_capped_so_a_batch_fits_one_catalog_record(int prompts, bool accepted)
    {
        var body = new JsonObject
        {
            ["prompts"] = new JsonArray([.. Enumerable.Repeat(new string('p', 1999), prompts)
                .Select(p => (JsonNode)JsonValue.Create(p))]),
            ["platform"] = "square",
        };

        var (request, problems) = BatchRequest.Parse(body);

        Assert.Equal(accepted, request is not null);
        if (!accepted) Assert.Equal("prompts", Assert.Single(problems!).Field);
    }
}
