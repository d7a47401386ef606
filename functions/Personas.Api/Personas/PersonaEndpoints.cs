using Microsoft.Extensions.Options;
using Personas.Domain.Personas;
using Microsoft.DurableTask.Client;
using Personas.Domain.Workflows;
using Personas.Domain.Stores;
using Personas.Api.Auth;
using Personas.Api.Blobs;
using Personas.Api.Hosting;
using Personas.Api.Instances;
using Personas.Api.Paging;
using Personas.Api.Problems;
using Personas.Orchestrations.Deletion;
using Personas.Api.OpenApi;

namespace Personas.Api.Personas;

/// <summary>Personas and their consent. Every route is scoped to the caller: another owner's persona is simply not found.</summary>
public static class PersonaEndpoints
{
    public static void MapPersonaEndpoints(this IEndpointRouteBuilder app)
    {
        var personas = app.MapGroup("/api/personas").WithTags("Personas");
        personas.MapPost("/", CreateAsync).WithName("CreatePersona")
            .WithSummary("Creates a persona with the person's full consent.")
            .Documents<CreatePersonaRequest>("application/json")
            .Produces<PersonaPayload>(201).ProducesProblem(400).ProducesProblem(409);
        personas.MapGet("/", ListAsync).WithName("ListPersonas")
            .WithSummary("The caller's personas, oldest first. Query: offset (0), limit (20, at most 100).")
            .Produces<Page<PersonaPayload>>().ProducesProblem(400);
        personas.MapGet("/{personaId}", GetAsync).WithName("GetPersona")
            .WithSummary("Status, photos with scores, dataset and consent.")
            .Produces<PersonaPayload>(200).ProducesProblem(404);
        personas.MapDelete("/{personaId}", DeleteAsync).WithName("DeletePersona")
            .WithSummary("Starts deleting the persona and everything it left: running work is stopped (training "
                + "canceled at the provider), providers are asked to delete what they hold, files, records and "
                + "workflow histories go, and an audit entry stays. 202.")
            .Produces<InstanceManagementPayload>(202).ProducesProblem(404);
        app.MapGet("/api/audit", ListAuditAsync)
            .WithName("ListAudit").WithTags("Personas")
            .WithSummary("What was done to the caller's personas' data, kept after the data is gone. Query: offset, "
                + "limit.")
            .Produces<Page<AuditEntry>>().ProducesProblem(400);
        personas.MapPost("/{personaId}/consent/withdraw", WithdrawAsync).WithName("WithdrawConsent")
            .WithSummary("Withdraws consent: every later use of the likeness is refused, unfinished posts are "
                + "canceled, and running training, generations and post writing are stopped.")
            .Documents<WithdrawConsentRequest>("application/json")
            .Produces<PersonaPayload>().ProducesProblem(404);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, ICatalog catalog, TimeProvider clock, IOptions<PersonasSettings> settings)
    {
        var (body, bodyProblem) = await JsonBody.ReadAsync(http, settings.Value.MaxJsonBodyBytes);
        if (bodyProblem is not null) return bodyProblem;
        var (request, field, problem) = CreatePersonaRequest.From(body);
        if (request is null) return ProblemWriter.Invalid(http, field!, problem!);
        var problems = request.Problems();
        if (problems.Count > 0) return ProblemWriter.Invalid(http, problems);

        var now = clock.GetUtcNow();
        var consent = request.Consent!;
        var persona = new Persona
        {
            Id = "per_" + Guid.NewGuid().ToString("N")[..20],
            Owner = http.User.Owner(),
            Name = request.Name!.Trim(),
            TriggerWord = request.TriggerWord!,
            Mode = CreatePersonaRequest.ParseMode(request.Mode)!.Value,
            Status = PersonaStatus.Draft,
            Consent = new Consent(true, true, true, true, consent.Restrictions ?? new ConsentRestrictions(), now,
                http.Connection.RemoteIpAddress?.ToString(), Truncate(http.Request.Headers.UserAgent.ToString(), 512)),
            CreatedAt = now,
            UpdatedAt = now,
            Voice = string.IsNullOrWhiteSpace(request.Voice) ? null : request.Voice.Trim(),
            Topics = PersonaProfile.Clean(request.Topics),
            Restrictions = PersonaProfile.Clean(request.Restrictions),
        };
        if (!await catalog.TryCreatePersonaAsync(persona, http.RequestAborted))
            return ProblemWriter.Result(http, 409, "Trigger word in use", $"You already have a persona with the trigger word '{persona.TriggerWord}'.", "triggerWord");
        return TypedResults.Created($"/api/personas/{persona.Id}", PersonaPayload.From(persona, [], 0, now));
    }

    private static async Task<IResult> ListAsync(HttpContext http, ICatalog catalog, TimeProvider clock,
        int? offset, int? limit)
    {
        var (page, problem) = PageRequest.Read(http, offset, limit);
        if (problem is not null) return problem;
        var owner = http.User.Owner();
        var all = await catalog.ListPersonasAsync(owner, http.RequestAborted);
        var items = new List<PersonaPayload>();
        // Photo counts for this page's personas only.
        foreach (var p in all.Skip(page.Offset).Take(page.Limit))
            items.Add(PersonaPayload.From(p, null,
                (await catalog.ListPhotosAsync(owner, p.Id, http.RequestAborted)).Count, clock.GetUtcNow()));
        return TypedResults.Ok(page.Envelope(items, all.Count, "/api/personas"));
    }

    private static async Task<IResult> ListAuditAsync(HttpContext http, ICatalog catalog, int? offset, int? limit)
    {
        var (page, problem) = PageRequest.Read(http, offset, limit);
        if (problem is not null) return problem;
        var all = await catalog.ListAuditAsync(http.User.Owner(), http.RequestAborted);
        return TypedResults.Ok(page.Of(all, e => e, "/api/audit"));
    }

    private static async Task<IResult> GetAsync(string personaId, HttpContext http, ICatalog catalog, TimeProvider clock, BlobUrlSigner signer)
    {
        var owner = http.User.Owner();
        if (await catalog.GetPersonaAsync(owner, personaId, http.RequestAborted) is not { } persona) return NotFound(http, personaId);
        var photos = await catalog.ListPhotosAsync(owner, personaId, http.RequestAborted);
        return TypedResults.Ok(PersonaPayload.From(persona, photos, photos.Count, clock.GetUtcNow(),
            path => signer.Url(http.Request, path), signer.Links(http.Request)));
    }

    private static async Task<IResult> WithdrawAsync(string personaId, HttpContext http, ICatalog catalog,
        IPostCatalog posts, DurableTaskClient client, IInstanceLedger ledger, TimeProvider clock,
        IOptions<PersonasSettings> settings)
    {
        var (body, bodyProblem) = await JsonBody.ReadAsync(http, settings.Value.MaxJsonBodyBytes);
        if (bodyProblem is not null) return bodyProblem;
        var reason = body?["reason"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? body["reason"]!.GetValue<string>() : null;
        var now = clock.GetUtcNow();
        var updated = await catalog.UpdatePersonaAsync(http.User.Owner(), personaId, p => p.Consent.WithdrawnAt is not null ? p : p with
        {
            Consent = p.Consent with { WithdrawnAt = now, WithdrawnReason = Truncate(reason, 1000) },
            UpdatedAt = now,
        }, http.RequestAborted);
        if (updated is null) return NotFound(http, personaId);
        await ConsentWithdrawal.StopAsync(updated, catalog, posts, client, ledger, clock, http.RequestAborted);
        return TypedResults.Ok(PersonaPayload.From(updated, null, 0, now));
    }

    /// <summary>
    /// Starts the deletion workflow (202 with its status links). Repeating the request while it runs returns the same
    /// workflow; once it has finished, the persona is 404 and its audit entry says what was deleted and what providers keep.
    /// </summary>
    private static async Task<IResult> DeleteAsync(string personaId, HttpContext http, ICatalog catalog,
        DurableTaskClient client, IInstanceLedger ledger, TimeProvider clock, IOptions<PersonasSettings> settings)
    {
        var owner = http.User.Owner();
        var ticket = Guid.NewGuid().ToString("N");
        var claimed = await catalog.UpdatePersonaAsync(owner, personaId, p => p.DeletionTicket is not null ? p
            : p with { DeletionTicket = ticket, Status = PersonaStatus.Deleting, StatusReason = "Deletion requested.", UpdatedAt = clock.GetUtcNow() }, http.RequestAborted);
        if (claimed is null) return NotFound(http, personaId);
        var instanceId = $"delete-{claimed.DeletionTicket}";
        // Idempotent on the ticket's instance id: a repeated request returns the running deletion.
        var instance = await client.StartNewOwnedAsync(ledger, clock, owner, DeletePersonaOrchestrator.Name,
            new DeletePersonaInput(owner, claimed.DeletionTicket!),
            instanceId, http.RequestAborted);
        return StartOrchestration.Accepted(http, instance, settings.Value);
    }

    public static IResult NotFound(HttpContext http, string personaId) =>
        ProblemWriter.Result(http, 404, "Not found", $"No persona '{personaId}' exists for this caller.", "personaId");

    /// <summary>403 when consent no longer covers processing this persona.</summary>
    /// <summary>Work on a persona is refused while it is being deleted (409), and without valid consent for this use (403).</summary>
    public static IResult? WorkRefusal(HttpContext http, Persona persona, DateTimeOffset now, string usage = Usages.Personal) =>
        persona.Status == PersonaStatus.Deleting ? ProblemWriter.Result(http, 409, "Persona being deleted", "The persona is being deleted; nothing more can be done with it.", "personaId")
        : persona.Consent.RefusalFor(usage, now) is { } refusal
            ? ProblemWriter.Result(http, 403, "Consent does not allow this", $"{refusal} Nothing more is done with this persona's likeness.", "consent")
            : null;

    private static string? Truncate(string? text, int max) => text is null ? null : text.Length <= max ? text : text[..max];
}
