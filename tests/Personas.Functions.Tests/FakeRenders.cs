using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Personas.Functions.Tests;

/// <summary>
/// What the provider fakes answer to an image request: a real photo of a face when the LoRA is applied, and a
/// different photo at LoRA scale 0 (the control), so validation has something true to measure. Every request is kept.
/// </summary>
public sealed class FakeRenders
{
    public static readonly byte[] WithLora = File.ReadAllBytes(RepoFiles.Path("tests", "testdata", "faces", "obama.jpg"));
    public static readonly byte[] WithoutLora = File.ReadAllBytes(RepoFiles.Path("tests", "testdata", "faces", "astronaut.png"));

    public ConcurrentDictionary<string, (JsonObject Input, bool Applied)> Requests { get; } = new();

    public string Add(JsonObject input, double scale)
    {
        var id = "img" + Guid.NewGuid().ToString("N")[..10];
        Requests[id] = (input, scale > 0);
        return id;
    }

    public byte[] Bytes(string id) => Requests.TryGetValue(id, out var r) && r.Applied ? WithLora : WithoutLora;

    public string ContentType(string id) => Requests.TryGetValue(id, out var r) && r.Applied ? "image/jpeg" : "image/png";
}
