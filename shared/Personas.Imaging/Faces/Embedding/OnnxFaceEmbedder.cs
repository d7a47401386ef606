using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Personas.Imaging.Analysis;

namespace Personas.Imaging.Faces.Embedding;

/// <summary>
/// A MobileFaceNet (the npm package faceplugin-face-recognition-js 0.0.1, model/fr_feature.onnx, MIT) run in process
/// with ONNX Runtime: a 112×112 RGB face scaled to (v − 127) / 128, one 512-float vector out. The model expects the
/// ArcFace alignment (eyes at 38/73 px across, 52 px down); without landmarks the crop is placed from the Haar box,
/// whose eye line is 40 % down it and whose eyes are about 40 % of its width apart. Thread-safe: one session, shared.
/// Disposing waits for no one: the session is released by the last run still inside it, because ONNX Runtime frees
/// the native session at once and a run still using it dies with SIGSEGV (a host stopped mid-embedding crashed).
/// </summary>
public sealed class OnnxFaceEmbedder : IFaceEmbedder, IDisposable
{
    public const int Side = 112;
    /// <summary>The ArcFace template: eye distance and eye line, in pixels of the 112 px crop.</summary>
    private const double TemplateEyeDistance = 35.2, TemplateEyeLine = 51.6;
    private const double HaarEyeDistance = 0.4;

    private readonly InferenceSession _session;
    private readonly string _input;
    private readonly Lock _gate = new();
    private int _running;
    private bool _disposed;

    public OnnxFaceEmbedder(string modelPath)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        _session = new InferenceSession(modelPath, options);
        _input = _session.InputMetadata.Keys.Single();
    }

    public string Model => "mobilefacenet-faceplugin-0.0.1";

    public FaceEmbedding Embed(byte[] photo, PhotoHeader header, CropRegion face)
    {
        // Padded, not clamped: a clamped crop of a face near an edge is shifted or squeezed and moves the eyes (a
        // picture whose face sat 9 px from the top scored 0.10 against its own source photo).
        var rgb = PhotoDecoder.FramePixels(photo, header, AlignedCrop(face), Side, Side, OutOfBounds.Pad);
        var tensor = new DenseTensor<float>([1, 3, Side, Side]);
        for (var y = 0; y < Side; y++)
            for (var x = 0; x < Side; x++)
                for (var c = 0; c < 3; c++)
                    tensor[0, c, y, x] = (rgb[(y * Side + x) * 3 + c] - 127f) / 128f;
        Enter();
        try
        {
            using var results = _session.Run([NamedOnnxValue.CreateFromTensor(_input, tensor)]);
            return FaceEmbedding.Normalised(results[0].AsEnumerable<float>().ToArray());
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>The square around a Haar box that puts its eyes where the model's training crops had them.</summary>
    internal static CropRegion AlignedCrop(CropRegion face)
    {
        var side = HaarEyeDistance * face.Width * Side / TemplateEyeDistance;
        var top = face.Y + 0.4 * face.Height - TemplateEyeLine / Side * side;
        var left = face.X + face.Width / 2.0 - side / 2;
        return new CropRegion((int)Math.Round(left), (int)Math.Round(top), (int)Math.Round(side),
            (int)Math.Round(side));
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            if (_running > 0) return; // the last run releases it
        }
        _session.Dispose();
    }

    private void Enter()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _running++;
        }
    }

    private void Leave()
    {
        lock (_gate)
        {
            if (--_running > 0 || !_disposed) return;
        }
        _session.Dispose();
    }
}
