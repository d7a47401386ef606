namespace Personas.Trainer.Dataset;

/// <summary>The dataset could not be fetched, or its zip was refused; the message says which rule it broke.</summary>
public sealed class DatasetException(string message, Exception? inner = null) : Exception(message, inner);
