using System.Runtime.CompilerServices;

// The crash-story tests write half-finished states (an orphan reservation, a tombstone) through the same documents.
[assembly: InternalsVisibleTo("Personas.Azure.Tests")]
