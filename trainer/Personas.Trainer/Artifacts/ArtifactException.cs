namespace Personas.Trainer.Artifacts;

/// <summary>The trainer's files could not be found or stored; the message never holds a SAS or key.</summary>
public sealed class ArtifactException(string message, Exception? inner = null) : Exception(message, inner);
