using System.Security.Cryptography;

namespace Personas.Api.Hosting;

/// <summary>A random secret kept in a file under the data directory, readable by its owner only: made once, reused after.</summary>
public static class LocalSecret
{
    public static (string Value, string Path, bool Created) LoadOrCreate(string dataDir, string fileName, string prefix, int randomBytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetFullPath(dataDir), fileName);
        var created = !File.Exists(path);
        if (created)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            File.WriteAllText(path, prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(randomBytes)));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return (File.ReadAllText(path).Trim(), path, created);
    }
}
