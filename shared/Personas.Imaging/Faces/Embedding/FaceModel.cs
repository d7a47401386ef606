namespace Personas.Imaging.Faces.Embedding;

/// <summary>
/// Where the face-embedding model file is: a configured path, else beside the binaries (the build copies it from
/// tools/models, where ./personas puts it), else tools/models above the working directory (a checkout).
/// </summary>
public static class FaceModel
{
    public const string FileName = "face-embedding.onnx";

    public static string? Find(string? configured = null)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return File.Exists(configured) ? configured : null;
        var beside = Path.Combine(AppContext.BaseDirectory, "models", FileName);
        if (File.Exists(beside)) return beside;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tools", "models", FileName);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
