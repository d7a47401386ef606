using Personas.TestEmulators;

namespace Personas.Azure.Tests.Emulators;

/// <summary>One Cosmos emulator for every test class in the collection (xunit wants this in the test assembly).</summary>
[CollectionDefinition(CosmosEmulator.Collection)]
public sealed class CosmosEmulatorCollection : ICollectionFixture<CosmosEmulator>;
