using Personas.Azure.Cosmos;
using Personas.TestEmulators;

namespace Personas.Azure.Tests.Catalog;

/// <summary>The contract against the Cosmos catalog on cosmosdb-server; each test works in owners of its own.</summary>
[Collection(CosmosEmulator.Collection)]
public sealed class CosmosCatalogContractTests(CosmosEmulator emulator) : CatalogContractTests
{
    protected override Task<object> CreateStoreAsync() =>
        Task.FromResult<object>(new CosmosCatalog(emulator.Client, emulator.SettingsFor("contract")));
}
