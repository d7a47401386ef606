using Personas.Imaging.Analysis;
using Personas.Imaging.Faces;
using Personas.TestPhotos;

namespace Personas.Imaging.Tests;

public sealed class FaceDetectorTests
{
    /// <summary>
    /// The eight-windows-at-once path must find exactly what the one-window path finds: same boxes, same neighbour
    /// counts, because the "clear face" threshold and the face score were calibrated on those counts.
    /// </summary>
    [Theory]
    [InlineData("obama.jpg", 360)]
    [InlineData("obama2.jpg", 640)]
    [InlineData("biden.jpg", 360)]
    [InlineData("astronaut.png", 640)]
    public void Vector_and_scalar_cascades_find_the_same_faces(string sample, int analysisSize)
    {
        var image = PhotoDecoder.AnalysisImage(Samples.Load(sample), analysisSize);
        var scalar = new FaceDetector(HaarCascade.Load(HaarCascade.DebianFrontalFace)) { UseVectors = false }.Detect(image);
        var vector = FaceDetector.FrontalFace.Detect(image);

        Assert.NotEmpty(scalar);
        Assert.Equal(scalar, vector);
    }
}
