using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Personas.Functions.Tests.Faces;
using Personas.Providers.FaceSwap;
using static Personas.Functions.Tests.GenerationApiTests;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.FaceSwap;

/// <summary>
/// <c>faceSwap: true</c> on generation, on the dry run: checked against the persona, priced, labelled.
/// </summary>
public sealed class FaceSwapApiTests(DryRunApiHost host) : IClassFixture<DryRunApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);

    [Fact]
    public async Task The_dry_run_swap_is_checked_against_the_persona_recorded_in_the_ledger_and_labelled()
    {
        var id = await ReadyPersonaAsync(_alice, "zqxswap");
        var generation = (await GenerateAsync(_alice, new { personaId = id, prompt = "zqxswap at a desk",
            platform = "x", faceSwap = true }))["generation"]!;
        var swap = generation["images"]![0]!["faceSwap"]!;
        Assert.Equal("dryrun", swap["provider"]!.GetValue<string>());
        Assert.True(swap["kept"]!.GetValue<bool>(), swap.ToJsonString());
        Assert.InRange(swap["similarity"]!.GetValue<double>(), 0.3, 1.0);
        Assert.StartsWith("pho_", swap["sourcePhotoId"]!.GetValue<string>());
        Assert.StartsWith("Dry run: no face was swapped", swap["note"]!.GetValue<string>());
        Assert.Contains(DryRunFaceSwapper.Label, generation["label"]!.GetValue<string>());
        var costs = await Json(await _alice.GetAsync($"/api/personas/{id}/costs"), 200);
        Assert.Contains(costs["entries"]!.AsArray(), e => e!["operation"]!.GetValue<string>() == "face swap");

        var plain = (await GenerateAsync(_alice,
            new { personaId = id, prompt = "zqxswap", platform = "x" }))["generation"]!;
        Assert.Null(plain["images"]![0]!["faceSwap"]);
        Assert.DoesNotContain(DryRunFaceSwapper.Label, plain["label"]!.GetValue<string>());

        await Problem(await _alice.PostAsJsonAsync("/api/generate-with-persona",
            new { personaId = id, prompt = "p", platform = "x", faceSwap = "yes" }), 400, "faceSwap");
    }

    [Fact]
    public async Task A_post_asks_for_the_swap_in_its_settings_and_each_revision_records_it()
    {
        var id = await ReadyPersonaAsync(_alice, "zqxswappost");
        var accepted = await Json(await _alice.PostAsJsonAsync("/api/posts/generate-smart", new
        {
            projectTitle = "Swap", transcript = "Consistency beats intensity when you build anything that lasts.",
            settings = new { contentTypes = new[] { "quote" }, platforms = new[] { "x" }, usePersona = true,
                personaId = id, faceSwap = true },
        }), 202);
        var post = await Posts.PostFlowTests.WaitForAsync(_alice, accepted["posts"]![0]!["id"]!.GetValue<string>(),
            "AwaitingApproval");
        var current = post["current"]!;
        Assert.Equal("dryrun", current["faceSwap"]!["provider"]!.GetValue<string>());
        Assert.Contains(DryRunFaceSwapper.Label, current["label"]!.GetValue<string>());
        Assert.Contains(current["notes"]!.AsArray(), n => n!.GetValue<string>().Contains("same-person check"));

        await Problem(await _alice.PostAsJsonAsync("/api/posts/generate-smart", new
        {
            projectTitle = "x", transcript = "t",
            settings = new { contentTypes = new[] { "quote" }, platforms = new[] { "x" }, faceSwap = true },
        }), 400, "settings.faceSwap");
    }
}

/// <summary>A face-swap provider that puts somebody else's face in (our seam, swapped in the host).</summary>
public sealed class WrongFaceHost : ApiHost
{
    internal sealed class WrongFace : IFaceSwapper
    {
        public string Name => "wrongface";

        public Task<SwappedImage> SwapAsync(FaceSwapRequest request, CancellationToken ct) =>
            Task.FromResult(new SwappedImage(Name, null, SamePersonIntakeTests.BidenPortrait(), "wrong-1"));

        public Task<Stream> OpenAsync(SwappedImage image, CancellationToken ct) =>
            Task.FromResult<Stream>(new MemoryStream(image.Bytes!));
    }

    protected override Task<IDictionary<string, string?>> ExtraSettingsAsync() =>
        Task.FromResult<IDictionary<string, string?>>(
            new Dictionary<string, string?> { ["Personas:Training:DryRunSeconds"] = "1" });

    protected override void ReplaceServices(IServiceCollection services) =>
        services.AddSingleton(new FaceSwappers([new WrongFace()], null,
            new Dictionary<string, decimal> { ["wrongface"] = 0.02m }));
}

public sealed class WrongFaceSwapTests(WrongFaceHost host) : IClassFixture<WrongFaceHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);

    [Fact]
    public async Task A_swap_that_brings_in_somebody_else_is_not_kept_but_is_paid_for()
    {
        var id = await ReadyPersonaAsync(_alice, "zqxwrong");
        var generation = (await GenerateAsync(_alice, new { personaId = id, prompt = "zqxwrong", platform = "x",
            faceSwap = true }))["generation"]!;
        var swap = generation["images"]![0]!["faceSwap"]!;
        Assert.False(swap["kept"]!.GetValue<bool>(), swap.ToJsonString());
        Assert.True(swap["similarity"]!.GetValue<double>() < 0.3, swap.ToJsonString());
        Assert.Contains("original was kept", swap["note"]!.GetValue<string>());
        var costs = await Json(await _alice.GetAsync($"/api/personas/{id}/costs"), 200);
        var paid = costs["entries"]!.AsArray().Single(e => e!["operation"]!.GetValue<string>() == "face swap")!;
        Assert.Equal(("wrongface", 0.02),
            (paid["provider"]!.GetValue<string>(), paid["estimatedUsd"]!.GetValue<double>()));
    }
}
