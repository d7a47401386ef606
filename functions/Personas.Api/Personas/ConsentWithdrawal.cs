using Microsoft.DurableTask.Client;
using Personas.Domain.Personas;
using Personas.Domain.Posts;
using Personas.Domain.Stores;
using Personas.Domain.Workflows;
using Personas.Orchestrations.Batches;
using Personas.Orchestrations.Deletion;
using Personas.Orchestrations.Posts;
using Personas.Orchestrations.Training;

namespace Personas.Api.Personas;

/// <summary>
/// What a withdrawal of consent stops, before the request answers: every unfinished post of the persona is
/// Canceled ("consent withdrawn") and its lifecycle told to end; training is asked to cancel (its workflow cancels
/// the provider job); a batch is woken to read consent before its next wave and stops; post writing, generations
/// and dataset preparation are terminated. Anything already running
/// inside an activity reads consent again before it stores or publishes, so it stops there. A repeated withdrawal
/// does it all again, so a failure half-way is finished by a retry.
/// </summary>
internal static class ConsentWithdrawal
{
    public static async Task StopAsync(Persona persona, ICatalog catalog, IPostCatalog posts, DurableTaskClient client,
        IInstanceLedger ledger, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var post in await PersonaWork.PostsAsync(posts, persona, ct))
            if (post.Cancelable)
                await posts.UpdatePostAsync(persona.Owner, post.Id,
                    p => p.Cancelable ? PostConsent.Cancel(p, now, PostConsent.WithdrawnReason) : p, ct);

        foreach (var instance in await PersonaWork.InstancesAsync(client, catalog, posts, persona, ct))
        {
            if (!instance.IsActive) continue;
            if (instance.Name == TrainPersonaOrchestrator.Name)
                await client.RaiseEventOnceAsync(ledger, instance.InstanceId, TrainPersonaOrchestrator.CancelEvent,
                    "consent was withdrawn", "consent-withdrawn", ct);
            else if (instance.Name == PostLifecycleOrchestrator.Name)
                await client.RaiseEventOnceAsync(ledger, instance.InstanceId, PostLifecycleOrchestrator.CancelEventName,
                    new CancelPostEvent(PostConsent.WithdrawnReason), "consent-withdrawn", ct);
            else if (instance.Name == GenerateBatchOrchestrator.Name) // it reads consent before its next wave
                await client.RaiseEventAsync(instance.InstanceId, GenerateBatchOrchestrator.WakeEvent, "consent", ct);
            else
                await client.TerminateInstanceAsync(instance.InstanceId, "Consent was withdrawn.", ct);
        }
    }
}
