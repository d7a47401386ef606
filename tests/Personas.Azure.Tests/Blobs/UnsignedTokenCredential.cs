using System.Text.Json;
using Azure.Core;

namespace Personas.Azure.Tests.Blobs;

/// <summary>
/// Stands in for Entra ID against Azurite's <c>--oauth basic</c>, which decodes a bearer JWT without checking its
/// signature but does check issuer, audience and lifetime. Counts how often a token was asked for.
/// </summary>
public sealed class UnsignedTokenCredential(TimeProvider clock) : TokenCredential
{
    private const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private const string ObjectId = "4e1d4f5c-6b44-4f3a-9c59-2d0f2d3b9a11";
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        var now = clock.GetUtcNow();
        var expires = now.AddHours(1);
        var claims = new Dictionary<string, object>
        {
            ["aud"] = "https://storage.azure.com",
            ["iss"] = $"https://sts.windows.net/{TenantId}/",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["oid"] = ObjectId,
            ["tid"] = TenantId,
        };
        var token = $"{Encode(new { alg = "none", typ = "JWT" })}.{Encode(claims)}.unsigned";
        return new AccessToken(token, expires);
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken ct) =>
        ValueTask.FromResult(GetToken(requestContext, ct));

    private static string Encode(object value) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(value))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
