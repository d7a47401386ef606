using Personas.TestEmulators;

namespace Personas.Azure.Tests.Blobs;

/// <summary>
/// A fact that presents a user-delegation SAS to Azurite. Azure.Storage.Blobs 12.30 always signs with its newest SAS
/// version (2026-04-06 string-to-sign or later) and Azurite learned that format in 3.37; 3.35 refuses every such link
/// with AuthorizationFailure. On an older Azurite the fact is skipped, saying why, instead of passing for nothing.
/// </summary>
public sealed class UserDelegationFactAttribute : FactAttribute
{
    public static readonly Version Needed = new(3, 37, 0);

    public UserDelegationFactAttribute()
    {
        if (Azurite.InstalledVersion() is { } installed && installed < Needed)
            Skip = $"Azurite {installed} cannot verify SAS signed by Azure.Storage.Blobs 12.30 (string-to-sign " +
                $"2026-04-06); needs {Needed} or later (install it under tools/, or set {Azurite.BinaryVariable}).";
    }
}
