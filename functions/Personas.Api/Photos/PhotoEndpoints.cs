using Personas.Domain.Blobs;
using Personas.Domain.Personas;
using Personas.Domain.Stores;
using Personas.Api.Auth;
using Personas.Api.Blobs;
using Personas.Api.Hosting;
using Personas.Api.Personas;
using Personas.Api.Problems;
using Personas.Imaging.Preparation;
using Microsoft.Extensions.Options;
using Personas.Api.Paging;
using Personas.Api.OpenApi;

namespace Personas.Api.Photos;

public sealed record IntakePayload(IReadOnlyList<IntakeResult> Photos, int Accepted, int Rejected, int TotalPhotos, int MinPhotos, int MaxPhotos, bool ReadyForDataset);

/// <summary>Photo intake for a persona: upload, list, delete. Consent is checked before any photo is read.</summary>
public static class PhotoEndpoints
{
    public static void MapPhotoEndpoints(this IEndpointRouteBuilder app)
    {
        var photos = app.MapGroup("/api/personas/{personaId}/photos").WithTags("Photos");
        photos.MapPost("/", UploadAsync).WithName("UploadPhotos").DisableAntiforgery()
            .WithSummary("Uploads photos (multipart/form-data, one file per part). Each is checked, scored and accepted or refused with reasons.")
            .Documents<PhotoUploadForm>("multipart/form-data")
            .Produces<IntakePayload>(201).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404)
            .ProducesProblem(409).ProducesProblem(413).ProducesProblem(415).ProducesProblem(422);
        photos.MapPost("/import", ImportAsync).WithName("ImportPhotos")
            .Documents<PhotoImportBody>("application/json")
            .WithSummary("Imports photos from https URLs ({\"urls\": [...]}). Private, loopback and link-local addresses are refused, also after DNS and redirects.")
            .Produces<IntakePayload>(201).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(422);
        photos.MapGet("/", ListAsync).WithName("ListPhotos")
            .WithSummary("The persona's photos with scores, oldest first. Query: offset (0), limit (20, at most 100).")
            .Produces<Page<PhotoPayload>>().ProducesProblem(400).ProducesProblem(404);
        photos.MapDelete("/{photoId}", DeleteAsync).WithName("DeletePhoto").WithSummary("Deletes a photo. 204.")
            .Produces(204).ProducesProblem(404).ProducesProblem(409);
    }

    private static async Task<IResult> UploadAsync(string personaId, HttpContext http, ICatalog catalog, PhotoIntake intake, PhotoGates gates,
        IOptions<PersonasSettings> settings, TimeProvider clock)
    {
        MultipartStaging.AllowBody(http, gates);
        if (!(http.Request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) ?? false))
            return ProblemWriter.Result(http, 415, "Unsupported media type", "Send the photos as multipart/form-data, one file per part.", "body");
        if (await ChangeablePersonaAsync(http, catalog, personaId, clock) is var (persona, refusal) && refusal is not null) return refusal;

        return await InStagingAsync(http, settings.Value, "files", async staging =>
        {
            List<StagedPhoto> staged;
            try
            {
                staged = await MultipartStaging.StageAsync(http.Request, staging, gates, http.RequestAborted);
            }
            catch (MultipartStaging.TooManyFilesException ex)
            {
                return ProblemWriter.Result(http, 400, "Too many photos", ex.Message, "files");
            }
            catch (InvalidDataException ex)
            {
                return ProblemWriter.Invalid(http, "body", $"The multipart body is malformed: {ex.Message}");
            }
            catch (BadHttpRequestException)
            {
                throw; // too large (413) and the like: the exception handler answers with its own status
            }
            catch (IOException) when (!http.RequestAborted.IsCancellationRequested)
            {
                // MultipartReader's word for a body that is not the multipart its header claims (no boundary lines, cut short).
                return ProblemWriter.Invalid(http, "body", "The multipart body is malformed: its parts and boundaries do not match its Content-Type.");
            }
            if (staged.Count == 0) return ProblemWriter.Invalid(http, "files", "No photo was sent: add one file part per photo.");
            return await RespondAsync(http, catalog, intake, gates, persona!, staged);
        });
    }

    private static async Task<IResult> ImportAsync(string personaId, HttpContext http, ICatalog catalog, PhotoIntake intake, PhotoGates gates,
        PhotoDownloader downloader, IOptions<PersonasSettings> settings, TimeProvider clock)
    {
        var (body, bodyProblem) = await Instances.JsonBody.ReadAsync(http, settings.Value.MaxJsonBodyBytes);
        if (bodyProblem is not null) return bodyProblem;
        if (body?["urls"] is not System.Text.Json.Nodes.JsonArray urls || urls.Count == 0 || urls.Any(u => u?.GetValueKind() != System.Text.Json.JsonValueKind.String))
            return ProblemWriter.Invalid(http, "urls", "Send {\"urls\": [\"https://…\"]} with at least one URL.");
        if (urls.Count > gates.MaxPhotos) return ProblemWriter.Result(http, 400, "Too many photos", $"Send at most {gates.MaxPhotos} URLs per request.", "urls");
        var list = urls.Select(u => u!.GetValue<string>()).ToList();
        if (list.FirstOrDefault(u => u.Length > 2048) is not null) return ProblemWriter.Invalid(http, "urls", "URLs may be at most 2,048 characters.");
        if (await ChangeablePersonaAsync(http, catalog, personaId, clock) is var (persona, refusal) && refusal is not null) return refusal;

        return await InStagingAsync(http, settings.Value, "urls", async staging =>
        {
            var staged = new StagedPhoto[list.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, list.Count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = http.RequestAborted }, async (i, ct) =>
            {
                var path = Path.Combine(staging, $"{i:D2}.download");
                var name = MultipartStaging.SafeName(Uri.TryCreate(list[i], UriKind.Absolute, out var u) ? u.Segments.LastOrDefault() : null, i + 1);
                var problem = await downloader.DownloadAsync(list[i], path, ct);
                staged[i] = problem is null ? new StagedPhoto(name, path, null) : new StagedPhoto(name, null, new Rejection("url", problem));
            });
            return await RespondAsync(http, catalog, intake, gates, persona!, staged);
        });
    }

    /// <summary>
    /// Runs one intake in its own staging folder, deleted afterwards whatever happens. Another upload that filled the
    /// persona's photo limit meanwhile is a 409 naming the request's <paramref name="field"/>.
    /// </summary>
    private static async Task<IResult> InStagingAsync(HttpContext http, PersonasSettings settings, string field, Func<string, Task<IResult>> stageAndRespond)
    {
        var staging = Path.Combine(Path.GetFullPath(settings.DataDir), "tmp", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            return await stageAndRespond(staging);
        }
        catch (PhotoLimitRaceException ex)
        {
            return ProblemWriter.Result(http, 409, "Photo limit reached", ex.Message, field);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>201 with every photo's outcome when any was accepted; 422 naming each photo and its reason when none was.</summary>
    internal static async Task<IResult> RespondAsync(HttpContext http, ICatalog catalog, PhotoIntake intake, PhotoGates gates, Persona persona, IReadOnlyList<StagedPhoto> staged)
    {
        var results = await intake.AcceptAsync(persona, staged, http.RequestAborted);
        var accepted = results.Count(r => r.Accepted);
        if (accepted > 0)
            await catalog.UpdatePersonaAsync(persona.Owner, persona.Id, p => p with { Status = PersonaStatus.Draft, Dataset = null, StatusReason = null }, http.RequestAborted);
        var total = (await catalog.ListPhotosAsync(persona.Owner, persona.Id, http.RequestAborted)).Count;
        var payload = new IntakePayload(results, accepted, results.Count - accepted, total, gates.MinPhotos, gates.MaxPhotos, total >= gates.MinPhotos);
        if (accepted > 0) return TypedResults.Created($"/api/personas/{persona.Id}/photos", payload);

        var errors = results.Select((r, i) => (r, i)).ToDictionary(x => $"files[{x.i}]", x => x.r.Rejections.Select(j => $"{x.r.FileName}: {j.Reason}").ToArray());
        var problem = ProblemWriter.Create(http, 422, "No photo was accepted", string.Join(" ", errors.Values.SelectMany(v => v)));
        problem.Extensions["errors"] = errors;
        problem.Extensions["photos"] = results;
        return TypedResults.Problem(problem);
    }

    private static async Task<IResult> ListAsync(string personaId, HttpContext http, ICatalog catalog,
        BlobUrlSigner signer, int? offset, int? limit)
    {
        var (page, problem) = PageRequest.Read(http, offset, limit);
        if (problem is not null) return problem;
        var owner = http.User.Owner();
        if (await catalog.GetPersonaAsync(owner, personaId, http.RequestAborted) is null) return PersonaEndpoints.NotFound(http, personaId);
        var link = signer.Links(http.Request);
        var all = await catalog.ListPhotosAsync(owner, personaId, http.RequestAborted);
        return TypedResults.Ok(page.Of(all, photo => PhotoPayload.From(photo, link),
            $"/api/personas/{personaId}/photos"));
    }

    private static async Task<IResult> DeleteAsync(string personaId, string photoId, HttpContext http, ICatalog catalog, IBlobStore blobs, TimeProvider clock)
    {
        var owner = http.User.Owner();
        if (await catalog.GetPersonaAsync(owner, personaId, http.RequestAborted) is not { } persona) return PersonaEndpoints.NotFound(http, personaId);
        if (persona.Status is not (PersonaStatus.Draft or PersonaStatus.Prepared or PersonaStatus.Failed or PersonaStatus.Ready))
            return ProblemWriter.Result(http, 409, "Persona busy", $"The persona is {persona.Status}; photos can be deleted once that finishes.", "personaId");
        if (await catalog.DeletePhotoAsync(owner, personaId, photoId, http.RequestAborted) is not { } photo)
            return ProblemWriter.Result(http, 404, "Not found", $"No photo '{photoId}' on this persona.", "photoId");
        await blobs.DeleteAsync(photo.Blob, http.RequestAborted);
        if (photo.FramedBlob is not null) await blobs.DeleteAsync(photo.FramedBlob, http.RequestAborted);
        await catalog.UpdatePersonaAsync(owner, personaId, p => p with { Status = p.Status == PersonaStatus.Ready ? p.Status : PersonaStatus.Draft, Dataset = null }, http.RequestAborted);
        return TypedResults.NoContent();
    }

    /// <summary>The caller's persona if its consent is valid and its photos may change now; otherwise the problem to answer with.</summary>
    internal static async Task<(Persona? Persona, IResult? Refusal)> ChangeablePersonaAsync(HttpContext http, ICatalog catalog, string personaId, TimeProvider clock)
    {
        if (await catalog.GetPersonaAsync(http.User.Owner(), personaId, http.RequestAborted) is not { } persona) return (null, PersonaEndpoints.NotFound(http, personaId));
        if (PersonaEndpoints.WorkRefusal(http, persona, clock.GetUtcNow()) is { } refusal) return (null, refusal);
        if (persona.Status is not (PersonaStatus.Draft or PersonaStatus.Prepared or PersonaStatus.Failed))
            return (null, ProblemWriter.Result(http, 409, "Persona busy", $"The persona is {persona.Status}; photos can change once that finishes.", "personaId"));
        return (persona, null);
    }
}
