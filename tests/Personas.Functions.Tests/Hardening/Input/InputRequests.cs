using System.Text;
using System.Text.Json.Nodes;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.Hardening.Input;

/// <summary>Sends raw JSON text (so lone surrogates and control escapes reach the host exactly as written).</summary>
internal static class InputRequests
{
    public static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, string json) =>
        client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        });

    /// <summary>
    /// A 400 problem whose <c>errors</c> holds <paramref name="field"/> and whose <c>detail</c> names it.
    /// </summary>
    public static async Task<JsonObject> FieldProblemAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 400,
            $"expected 400 naming {field}, got {(int)response.StatusCode}: {body}");
        var problem = await Problem(response, 400, field);
        Assert.Contains(field + ":", problem["detail"]!.GetValue<string>());
        return problem;
    }
}
