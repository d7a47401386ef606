using Personas.Api.Instances;
using Personas.Domain.Batches;

namespace Personas.Api.Batches;

/// <summary>The body of <c>POST /api/personas/{personaId}/batches</c>, for the OpenAPI document.</summary>
public sealed record BatchBody(IReadOnlyList<string>? Prompts, string? Template,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Variations, string Platform, double? BlendStrength,
    long? Seed, string? Usage, int? ModelVersion, decimal? BudgetUsd);

/// <summary>How far a batch is: pictures done, failed and still to make, of the total, and what they cost.</summary>
public sealed record BatchProgress(int Done, int Failed, int Pending, int Total, decimal SpentUsd);

/// <summary>A batch without its items, as lists, events and control answers show it.</summary>
public sealed record BatchSummary(string Id, string PersonaId, BatchStatus Status, string? Reason,
    BatchProgress Progress, int ModelVersion, string Platform, int Width, int Height, double BlendStrength,
    string Usage, int Concurrency, decimal? BudgetUsd, string? Template, DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt, string? Label, string ResultUri, string EventsUri, string ZipUri)
{
    public static BatchSummary From(Batch b)
    {
        var self = $"/api/personas/{b.PersonaId}/batches/{b.Id}";
        return new(b.Id, b.PersonaId, b.Status, b.Reason, new BatchProgress(b.Count(BatchItemStatus.Done),
                b.Count(BatchItemStatus.Failed), b.Count(BatchItemStatus.Pending), b.Items.Count, b.SpentUsd()),
            b.ModelVersion, b.Platform, b.Width, b.Height, b.BlendStrength, b.Usage, b.Concurrency, b.BudgetUsd,
            b.Template, b.CreatedAt, b.FinishedAt, b.Label, self, $"{self}/events", $"{self}/zip");
    }
}

/// <summary>One item, with a short-lived signed <c>url</c> once its picture exists.</summary>
public sealed record BatchItemPayload(int Index, string Prompt, long Seed, BatchItemStatus Status, string? Blob,
    string? Url, string? Provider, string? Error, decimal CostUsd);

/// <summary><c>GET .../batches/{batchId}</c>: the summary and every item.</summary>
public sealed record BatchPayload(BatchSummary Batch, IReadOnlyList<BatchItemPayload> Items)
{
    public static BatchPayload From(Batch b, Func<string, string> link) => new(BatchSummary.From(b),
        b.Items.Select(i => new BatchItemPayload(i.Index, i.Prompt, i.Seed, i.Status, i.Blob,
            i.Blob is null ? null : link(i.Blob), i.Provider, i.Error, i.CostUsd)).ToList());
}

/// <summary>The 202 to a new batch: the batch as stored, and its workflow's management links.</summary>
public sealed record BatchAccepted(BatchSummary Batch, InstanceManagementPayload Instance);
