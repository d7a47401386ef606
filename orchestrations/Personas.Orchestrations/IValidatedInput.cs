namespace Personas.Orchestrations;

/// <summary>
/// Input that can say what is wrong with itself. The host checks it at the edge, before an instance is created,
/// so a bad request is refused with the field and the reason instead of failing later inside a workflow.
/// </summary>
public interface IValidatedInput
{
    IEnumerable<(string Field, string Reason)> Validate();
}
