using Personas.Imaging.Faces;
using Personas.Imaging.Preparation;
using Personas.TestPhotos;
using static Personas.Functions.Tests.HttpAssertions;
using static Personas.Functions.Tests.PersonaApiTests;

namespace Personas.Functions.Tests.Faces;

/// <summary>
/// Issue 16: a Biden photo was accepted into a persona built from Obama photos. The intake now compares faces with
/// the built-in embedding model (tests/testdata/faces: public-domain portraits).
/// </summary>
public sealed class SamePersonIntakeTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);

    /// <summary>
    /// biden.jpg shows him head to knees; cut to head and shoulders it passes every other portrait gate.
    /// </summary>
    internal static byte[] BidenPortrait()
    {
        var full = Samples.Load("biden.jpg");
        var face = new PhotoInspector(new PhotoGates(), FaceDetector.FrontalFace).Inspect(full, PersonaMode.FullBody)
            .Face!.Box;
        return Samples.Transform(full, image =>
        {
            var side = Math.Min(face.Width * 3, image.Width);
            var left = Math.Clamp(face.X + face.Width / 2 - side / 2, 0, image.Width - side);
            return Samples.Apply(image, "extract_area", ("left", left), ("top", Math.Max(0, face.Y - face.Height)),
                ("width", side), ("height", side));
        });
    }

    [Fact]
    public async Task A_photo_of_somebody_else_is_refused_with_the_reason_and_the_persona_keeps_its_own()
    {
        var id = await CreateAsync(_alice);
        var first = await Json(await _alice.PostAsync($"/api/personas/{id}/photos", Files(
            ("front.jpg", Samples.Load("obama.jpg")), ("biden.jpg", BidenPortrait()),
            ("speech.jpg", Samples.Load("obama2.jpg")))), 201);
        Assert.Equal(2, first["accepted"]!.GetValue<int>());
        var refused = first["photos"]![1]!;
        Assert.False(refused["accepted"]!.GetValue<bool>(), refused.ToJsonString());
        Assert.Equal("samePerson", refused["rejections"]![0]!["gate"]!.GetValue<string>());
        Assert.Contains("does not look like", refused["rejections"]![0]!["reason"]!.GetValue<string>());

        // Alone, later, against the stored photos: refused too, naming the file and the reason.
        var later = await Problem(await _alice.PostAsync($"/api/personas/{id}/photos",
            Files(("biden-again.jpg", BidenPortrait()))), 422);
        Assert.Contains("biden-again.jpg: The face does not look like",
            later["errors"]!["files[0]"]![0]!.GetValue<string>());
        var persona = await Json(await _alice.GetAsync($"/api/personas/{id}"), 200);
        Assert.Equal(2, persona["photos"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_same_person_in_another_photo_is_accepted_against_the_stored_one()
    {
        var id = await CreateAsync(_alice);
        await Json(await _alice.PostAsync($"/api/personas/{id}/photos",
            Files(("front.jpg", Samples.Load("obama.jpg")))), 201);
        var second = await Json(await _alice.PostAsync($"/api/personas/{id}/photos",
            Files(("speech.jpg", Samples.Load("obama2.jpg")))), 201);
        Assert.Equal(1, second["accepted"]!.GetValue<int>());
    }
}
