namespace Personas.Api.OpenApi;

/// <summary>
/// The body a route reads by hand, for the OpenAPI document only. Not <c>.Accepts&lt;T&gt;</c>: that also makes
/// routing refuse other content types with a bare 415, before the handler can answer its own problem naming
/// <c>body</c>.
/// </summary>
public sealed record DocumentedBody(Type Type, string ContentType);

public static class DocumentedBodyExtensions
{
    public static RouteHandlerBuilder Documents<TBody>(this RouteHandlerBuilder builder,
        string contentType = "application/json") =>
        builder.Documents(typeof(TBody), contentType);

    public static RouteHandlerBuilder Documents(this RouteHandlerBuilder builder, Type body,
        string contentType = "application/json") =>
        builder.WithMetadata(new DocumentedBody(body, contentType));
}
