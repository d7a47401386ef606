namespace Personas.Azure.Cosmos;

/// <summary>The catalog could not finish an operation on Cosmos DB, for a reason the message names.</summary>
public sealed class CosmosCatalogException(string message, Exception? inner = null) : Exception(message, inner);
