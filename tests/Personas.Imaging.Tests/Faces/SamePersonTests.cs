using Personas.Imaging.Faces.Embedding;

namespace Personas.Imaging.Tests.Faces;

public sealed class SamePersonTests
{
    private static FaceEmbedding Unit(params float[] v) => FaceEmbedding.Normalised(v);

    private static readonly FaceEmbedding A = Unit(1, 0, 0), A2 = Unit(0.95f, 0.1f, 0), B = Unit(0, 1, 0),
        C = Unit(0, 0, 1);

    [Fact]
    public void A_stranger_is_refused_against_the_stored_faces_and_the_same_person_is_let_in()
    {
        var answers = SamePerson.Screen([A], [A2, B, null], 0.3);
        Assert.Null(answers[0]);
        Assert.Equal(SamePerson.Gate, answers[1]!.Gate);
        Assert.Null(answers[2]); // nothing to judge (refused earlier, or no face)
    }

    [Fact]
    public void In_a_first_upload_the_face_most_photos_share_is_the_persona_even_when_a_stranger_comes_first()
    {
        var answers = SamePerson.Screen([], [B, A, A2], 0.3);
        Assert.NotNull(answers[0]);
        Assert.Null(answers[1]);
        Assert.Null(answers[2]);
    }

    [Fact]
    public void The_median_keeps_one_odd_stored_photo_from_deciding()
    {
        Assert.Null(SamePerson.Screen([A, A2, C], [A], 0.3)[0]);
        Assert.NotNull(SamePerson.Screen([A, A2, C], [C], 0.3)[0]);
    }
}
