using Personas.Domain.Blobs;
using Personas.Domain.Faces;
using Personas.Domain.Personas;
using Personas.Domain.Stores;
using Personas.Domain.Training;
using Microsoft.DurableTask;
using Personas.Orchestrations.Dataset;
using Personas.Imaging.Faces.Embedding;
using Personas.Imaging.Preparation;
using Personas.Imaging.Validation;
using Personas.Orchestrations.Generations;
using Personas.Providers.Generation;

namespace Personas.Orchestrations.Training;

public sealed record ValidateCandidateInput(string Owner, string PersonaId, PersonaModel Model, string WeightsBlob);

public sealed record JudgeValidationInput(IReadOnlyList<CandidateValidation> Candidates);

/// <summary>
/// Renders each validation prompt twice with the same seed, with the LoRA and at LoRA scale 0 (the control), stores
/// both, and scores the candidate: clear face, quality, trigger effectiveness, and face consistency (the same-person
/// check against the persona's photos). Every score is the share of prompts that pass its check, so 0.8 means 80 %.
/// </summary>
public sealed class ValidateCandidateActivity(ICatalog catalog, PersonaPictures pictures, GeneratedImageScorer scorer, PhotoGates gates,
    PersonaFaces faces, ValidationOptions options, TimeProvider clock)
    : TaskActivity<ValidateCandidateInput, CandidateValidation>
{
    public override async Task<CandidateValidation> RunAsync(TaskActivityContext context, ValidateCandidateInput input)
    {
        var ct = context.CancellationToken;
        var persona = await catalog.GetPersonaAsync(input.Owner, input.PersonaId, ct) ?? throw new InvalidDataException($"Persona {input.PersonaId} no longer exists.");
        if (persona.Consent.RefusalAt(clock.GetUtcNow()) is { } refusal) throw new ConsentException(refusal);
        var label = Label(input.Model, input.WeightsBlob);
        var lora = pictures.Reference(persona, input.Model, input.WeightsBlob);
        var (width, height) = PhotoInspector.OutputSize(persona.Mode);
        var folder = BlobPaths.Join(input.Owner, input.PersonaId, "models", $"v{input.Model.Version}", "validation", label);
        var images = new List<ValidationImage>();
        var personaFaces = await faces.OfPersonaAsync(input.Owner, input.PersonaId, ct);
        foreach (var (template, i) in options.PromptList.Select((p, i) => (p, i)))
        {
            var prompt = template.Replace("{trigger}", persona.TriggerWord, StringComparison.OrdinalIgnoreCase);
            var seed = options.Seed + i;
            var shot = await pictures.MakeAsync(input.Owner, new ImageRequest(input.PersonaId, prompt, lora, options.BlendStrength, width, height, seed),
                BlobPaths.Join(folder, $"{i}.jpg"), "validation", Key(context, label, $"{i}"), ct);
            var control = await pictures.MakeAsync(input.Owner, new ImageRequest(input.PersonaId, prompt, lora, 0, width, height, seed),
                BlobPaths.Join(folder, $"{i}-control.jpg"), "validation control", Key(context, label, $"{i}-control"),
                ct);
            var check = scorer.Check(shot.Bytes, persona.Mode);
            var bits = check.Face is { } box
                ? GeneratedImageScorer.FaceChangeBits(shot.Bytes, control.Bytes, box, width) : 0;
            var similarity = check.ClearFace && personaFaces.Count > 0
                && faces.Embed(shot.Bytes, check.Face) is { } face
                ? Math.Round(SamePerson.MedianSimilarity(face, personaFaces), 3) : (double?)null;
            images.Add(new ValidationImage(prompt, seed, shot.Provider, shot.Blob, control.Blob, check.ClearFace,
                check.Quality, bits, similarity));
        }
        return Score(label, input.WeightsBlob, images, personaFaces.Count > 0);
    }

    /// <summary>
    /// One paid picture of this run's validation. Attempt 0: the SDK tells an activity no retry count, and a retried
    /// validation should reuse the pictures its failed attempt already paid for.
    /// </summary>
    private static CostKey Key(TaskActivityContext context, string label, string picture) =>
        new(context.InstanceId, $"validation/{label}/{picture}", 0);

    private CandidateValidation Score(string label, string weights, List<ValidationImage> images, bool comparable)
    {
        var n = images.Count;
        var clear = images.Count(i => i.ClearFace);
        var good = images.Count(i => i.Quality >= gates.MinOverallScore);
        var effective = images.Count(i => i.ClearFace && i.FaceChangeBits >= options.MinFaceChangeBits);
        return new CandidateValidation(label, weights,
            new ValidationMetric(Share(clear, n),
                $"{clear} of {n} validation images show one clear face (the intake detector)."),
            new ValidationMetric(Share(good, n), $"{good} of {n} reach the intake quality gate of {gates.MinOverallScore} (mean overall {images.Select(i => i.Quality).DefaultIfEmpty(0).Average():0})."),
            new ValidationMetric(Share(effective, n), $"In {effective} of {n} prompts the face differs from the same seed without the LoRA by at least {options.MinFaceChangeBits} of 64 hash bits (median {Median(images.Select(i => i.FaceChangeBits))})."),
            comparable ? Consistency(images)
                : ValidationMetric.Unavailable(
                    "The persona has no stored photo with a face to compare the pictures with."),
            images);
    }

    /// <summary>
    /// The share of pictures whose face passes the intake's same-person check against the persona's photos.
    /// </summary>
    private ValidationMetric Consistency(List<ValidationImage> images)
    {
        var n = images.Count;
        var alike = images.Count(i => i.FaceSimilarity >= faces.Threshold);
        var measured = images.Where(i => i.FaceSimilarity is not null).Select(i => i.FaceSimilarity!.Value)
            .Order().ToList();
        var median = measured.Count > 0 ? $"median similarity {measured[measured.Count / 2]:0.00}" : "no face measured";
        return new ValidationMetric(Share(alike, n), $"In {alike} of {n} images the face passes the same-person " +
            $"check against the persona's photos (similarity at least {faces.Threshold:0.00}; {median}; " +
            $"{faces.Embedder.Model}).");
    }

    private static double Share(int count, int total) => total == 0 ? 0 : Math.Round((double)count / total, 3);

    private static int Median(IEnumerable<int> values) => values.Order().ToList() is { Count: > 0 } sorted ? sorted[sorted.Count / 2] : 0;

    public static string Label(PersonaModel model, string weightsBlob) =>
        weightsBlob == model.WeightsBlob ? "final" : Path.GetFileNameWithoutExtension(weightsBlob);
}

/// <summary>Keeps the best-scoring candidate (the final weights win ties) and applies the gate to it.</summary>
public sealed class JudgeValidationActivity(ValidationOptions options) : TaskActivity<JudgeValidationInput, ModelValidation>
{
    public override Task<ModelValidation> RunAsync(TaskActivityContext context, JudgeValidationInput input)
    {
        var best = input.Candidates.OrderByDescending(c => Math.Round(c.Score, 6)).ThenBy(c => c.Label == "final" ? 0 : 1).First();
        var passed = best.Passes(options.Gate);
        var failing = best.Metrics.Zip(["face detection", "quality", "trigger effectiveness", "face consistency"])
            .Where(m => m.First.Value < options.Gate).Select(m => $"{m.Second} {m.First.Value:0.##}").ToList();
        var summary = passed
            ? $"Kept {best.Label} (mean score {best.Score:0.##} of {input.Candidates.Count} candidate(s)); every available score reached {options.Gate:0.##}."
            : $"Validation failed: {string.Join(", ", failing)} below the gate of {options.Gate:0.##} (best candidate: {best.Label}).";
        return Task.FromResult(new ModelValidation(best.Images.FirstOrDefault()?.Provider ?? "none", options.Gate, passed, best.Label, best.WeightsBlob, summary, input.Candidates));
    }
}
