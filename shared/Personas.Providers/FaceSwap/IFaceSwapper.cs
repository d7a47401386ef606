namespace Personas.Providers.FaceSwap;

/// <summary>
/// Put the face of <paramref name="FaceUrl"/> (the persona's best photo) into <paramref name="TargetUrl"/> (a picture
/// already made). Links are signed and expire; the dry run reads <paramref name="TargetBytes"/> instead.
/// </summary>
public sealed record FaceSwapRequest(Uri? TargetUrl, Uri? FaceUrl, byte[] TargetBytes);

/// <summary>
/// What a face-swap provider returned: a link to fetch, or the bytes (the dry run), and its request id.
/// </summary>
public sealed record SwappedImage(string Provider, string? Url, byte[]? Bytes, string? RequestId);

/// <summary>A face-swap model on fal.ai or Replicate, or the dry run.</summary>
public interface IFaceSwapper
{
    string Name { get; }

    Task<SwappedImage> SwapAsync(FaceSwapRequest request, CancellationToken ct);

    Task<Stream> OpenAsync(SwappedImage image, CancellationToken ct);
}

/// <summary>A provider refused or failed the swap, with its status and message.</summary>
public sealed class FaceSwapException(string provider, int? status, string message)
    : Exception($"{provider}: {message}")
{
    public string Provider { get; } = provider;
    public int? Status { get; } = status;
}
