namespace Personas.Durable;

/// <summary>Which storage backend runs the workflows, and how hard the in-process dispatchers may push it.</summary>
public sealed class DurableSettings
{
    public const string Section = "Personas:Durable";

    /// <summary><c>sqlite</c> (the embedded default), <c>azurestorage</c>, or <c>memory</c> (tests only).</summary>
    public string Backend { get; set; } = DurableBackends.Sqlite;

    /// <summary>The task hub: a table prefix in Azure Storage, a name in logs elsewhere.</summary>
    public string TaskHub { get; set; } = "personas";

    /// <summary>
    /// Azure Storage for the <c>azurestorage</c> backend: a connection string (<c>UseDevelopmentStorage=true</c> for
    /// Azurite) or, in Azure, empty with <see cref="StorageAccountName"/> set (DefaultAzureCredential).
    /// </summary>
    public string? StorageConnectionString { get; set; }

    public string? StorageAccountName { get; set; }

    /// <summary>
    /// A user-assigned managed identity's client id for the storage account; empty: DefaultAzureCredential decides.
    /// </summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>How many orchestration episodes the sidecar runs at once.</summary>
    public int MaxConcurrentOrchestrations { get; set; } = 100;

    /// <summary>How many activities the sidecar runs at once.</summary>
    public int MaxConcurrentActivities { get; set; } = 100;

    /// <summary>
    /// How long a claimed work item stays ours without a renewal; a crashed host's claims expire after this.
    /// </summary>
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>Azure Storage's queue visibility timeout: how soon a crashed host's messages are seen again.</summary>
    public int VisibilityTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Azure Storage: the longest pause between polls of an idle queue (the package's default is 30 s).
    /// </summary>
    public int MaxQueuePollingSeconds { get; set; } = 2;

    /// <summary>
    /// Azure Storage: this host's name in the partition table. A restarted host with the same id takes its partitions
    /// back at once; empty means the machine name.
    /// </summary>
    public string? WorkerId { get; set; }
}

public static class DurableBackends
{
    public const string Sqlite = "sqlite";
    public const string AzureStorage = "azurestorage";
    public const string Memory = "memory";

    public static readonly string[] All = [Sqlite, AzureStorage, Memory];
}
