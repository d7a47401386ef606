using System.Globalization;
using System.Xml.Linq;

namespace Personas.Imaging.Faces;

/// <summary>
/// A boosted cascade of Haar-feature stumps in OpenCV's XML format (the "opencv-cascade-classifier" layout), such as
/// Debian opencv-data's haarcascade_frontalface_default.xml. Only upright (non-tilted) stump cascades are supported,
/// which is what the frontal-face cascades are.
/// </summary>
public sealed class HaarCascade
{
    public const string DebianFrontalFace = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

    /// <summary>
    /// Where the frontal-face cascade is: Debian's opencv-data, else a copy beside the app (the Function App ships one,
    /// since no package can be installed there).
    /// </summary>
    public static string FrontalFacePath => File.Exists(DebianFrontalFace) ? DebianFrontalFace
        : Path.Combine(AppContext.BaseDirectory, "models", Path.GetFileName(DebianFrontalFace));

    public required int WindowWidth { get; init; }
    public required int WindowHeight { get; init; }
    public required Stage[] Stages { get; init; }
    public required Feature[] Features { get; init; }

    public sealed record Stage(double Threshold, WeakClassifier[] Classifiers);

    /// <summary>A stump: the feature's normalised value below <see cref="Threshold"/> scores <see cref="Left"/>, else <see cref="Right"/>.</summary>
    public sealed record WeakClassifier(int FeatureIndex, double Threshold, double Left, double Right);

    public sealed record Feature(FeatureRect[] Rects);

    public readonly record struct FeatureRect(int X, int Y, int Width, int Height, double Weight);

    public static HaarCascade Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"The face cascade {path} is missing. Install Debian's opencv-data package (./personas test and serve do).", path);
        var cascade = XDocument.Load(path).Root?.Element("cascade") ?? throw new InvalidDataException($"{path} is not an OpenCV cascade.");
        if ((string?)cascade.Element("featureType") != "HAAR" || (string?)cascade.Element("stageType") != "BOOST")
            throw new InvalidDataException($"{path} is not a boosted Haar cascade.");

        var stages = cascade.Element("stages")!.Elements("_").Select(stage => new Stage(
            Number(stage.Element("stageThreshold")!.Value),
            stage.Element("weakClassifiers")!.Elements("_").Select(ParseStump).ToArray())).ToArray();
        var features = cascade.Element("features")!.Elements("_").Select(feature =>
        {
            if ((string?)feature.Element("tilted") == "1") throw new NotSupportedException("Tilted Haar features are not supported.");
            return new Feature(feature.Element("rects")!.Elements("_").Select(r =>
            {
                var v = Numbers(r.Value);
                return new FeatureRect((int)v[0], (int)v[1], (int)v[2], (int)v[3], v[4]);
            }).ToArray());
        }).ToArray();
        return new HaarCascade { WindowWidth = (int)Number(cascade.Element("width")!.Value), WindowHeight = (int)Number(cascade.Element("height")!.Value), Stages = stages, Features = features };
    }

    private static WeakClassifier ParseStump(XElement weak)
    {
        var nodes = Numbers(weak.Element("internalNodes")!.Value);
        var leaves = Numbers(weak.Element("leafValues")!.Value);
        // internalNodes: left right featureIndex threshold; a stump has exactly one node and two leaves.
        if (nodes.Length != 4 || leaves.Length != 2) throw new NotSupportedException("Only stump (depth-1) classifiers are supported.");
        return new WeakClassifier((int)nodes[2], nodes[3], leaves[0], leaves[1]);
    }

    private static double Number(string text) => double.Parse(text.Trim(), CultureInfo.InvariantCulture);

    private static double[] Numbers(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
}
