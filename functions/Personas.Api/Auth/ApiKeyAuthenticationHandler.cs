using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Personas.Api.Auth;

/// <summary>Authenticates a caller by the <c>X-Api-Key</c> header and names them by the key's owner.</summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyRing keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var presented) || string.IsNullOrWhiteSpace(presented))
            return Task.FromResult(AuthenticateResult.NoResult());
        if (keys.OwnerOf(presented.ToString()) is not { } owner)
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, owner)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = Context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Failure;
        await Problems.ProblemWriter.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Authentication required",
            failure is null ? $"Send an API key in the {HeaderName} header." : failure.Message, field: HeaderName);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.ProblemWriter.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", "This key may not do that.");
}

public static class OwnerExtensions
{
    /// <summary>The authenticated caller's owner id. Every stored thing carries one, and every route compares it.</summary>
    public static string Owner(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The caller is not authenticated.");
}
