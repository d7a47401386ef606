using Personas.Domain.Personas;
using Personas.Domain.Stores;

namespace Personas.Orchestrations;

/// <summary>The write behind the claim activities of training and dataset runs.</summary>
public static class PersonaClaims
{
    /// <summary>Applies <paramref name="claim"/> atomically and returns the persona as it then is.</summary>
    public static async Task<Persona> ApplyAsync(ICatalog catalog, string owner, string personaId,
        Func<Persona, Persona> claim, CancellationToken ct) =>
        await catalog.UpdatePersonaAsync(owner, personaId, claim, ct)
        ?? throw new InvalidDataException($"Persona {personaId} no longer exists.");

    /// <summary>
    /// Whether the run still holds the persona's status: a dataset run of its own while the persona is Preparing under
    /// it; a training run, or the dataset it made inside, while the persona is Training, Validating or Failed under it
    /// (the run's last word on a failure is its own). A write delivered again after the persona moved on (the host
    /// died before the runtime recorded the first) must not take the status back from whoever has it now.
    /// </summary>
    public static bool HeldBy(Persona persona, string instanceId) => persona.Status switch
    {
        PersonaStatus.Preparing => persona.DatasetInstanceId == instanceId,
        PersonaStatus.Training or PersonaStatus.Validating or PersonaStatus.Failed =>
            persona.TrainingInstanceId is { } training
            && (instanceId == training || instanceId == TrainingDataset(training)),
        _ => false,
    };

    /// <summary>The instance id of the dataset preparation a training run makes inside itself.</summary>
    public static string TrainingDataset(string trainingInstanceId) => $"{trainingInstanceId}-dataset";
}
