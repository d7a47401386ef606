using Azure.Core;
using Azure.Identity;
using DurableTask.AzureStorage;
using Microsoft.Extensions.Logging;

namespace Personas.Durable.AzureStorage;

/// <summary>
/// DurableTask.AzureStorage configured from <see cref="DurableSettings"/>: a connection string (Azurite, or a key) or,
/// in Azure, an account name with an Entra credential so no key is ever stored.
/// </summary>
public static class AzureStorageBackend
{
    public static AzureStorageOrchestrationService Create(DurableSettings settings, ILoggerFactory logs) =>
        new(CreateSettings(settings, logs));

    public static AzureStorageOrchestrationServiceSettings CreateSettings(DurableSettings settings, ILoggerFactory logs)
    {
        var visibility = TimeSpan.FromSeconds(settings.VisibilityTimeoutSeconds);
        return new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = TaskHubName(settings.TaskHub),
            StorageAccountClientProvider = ClientProvider(settings),
            // The 5 min default would leave a crashed host's messages invisible for 5 min.
            ControlQueueVisibilityTimeout = visibility,
            WorkItemQueueVisibilityTimeout = visibility,
            // The table partition manager lets a restarted host with the same worker id take its partitions back
            // at once; the blob one makes it wait out the dead process's lease.
            UseTablePartitionManagement = true,
            WorkerId = string.IsNullOrWhiteSpace(settings.WorkerId) ? Environment.MachineName : settings.WorkerId,
            LeaseInterval = TimeSpan.FromSeconds(settings.LeaseSeconds),
            LeaseRenewInterval = TimeSpan.FromSeconds(Math.Max(1, settings.LeaseSeconds / 3)),
            LeaseAcquireInterval = TimeSpan.FromSeconds(Math.Max(1, settings.LeaseSeconds / 3)),
            // Idle queues back off to this; the 30 s default makes a quiet app slow to notice new work.
            MaxQueuePollingInterval = TimeSpan.FromSeconds(settings.MaxQueuePollingSeconds),
            MaxConcurrentTaskOrchestrationWorkItems = settings.MaxConcurrentOrchestrations,
            MaxConcurrentTaskActivityWorkItems = settings.MaxConcurrentActivities,
            LoggerFactory = logs,
        };
    }

    private static StorageAccountClientProvider ClientProvider(DurableSettings settings)
    {
        if (!string.IsNullOrWhiteSpace(settings.StorageConnectionString))
            return new StorageAccountClientProvider(settings.StorageConnectionString);
        if (string.IsNullOrWhiteSpace(settings.StorageAccountName))
            throw new InvalidOperationException(
                $"The azurestorage backend needs {DurableSettings.Section}:StorageConnectionString (Azurite: " +
                $"UseDevelopmentStorage=true) or {DurableSettings.Section}:StorageAccountName (Entra credential).");
        return new StorageAccountClientProvider(settings.StorageAccountName, Credential(settings));
    }

    /// <summary>A user-assigned identity when one is named (several may be attached); else the default chain.</summary>
    internal static TokenCredential Credential(DurableSettings settings) =>
        string.IsNullOrWhiteSpace(settings.ManagedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(
                ManagedIdentityId.FromUserAssignedClientId(settings.ManagedIdentityClientId));

    /// <summary>Task hub names become table and queue prefixes: letters and digits only, 3 to 45 characters.</summary>
    internal static string TaskHubName(string taskHub)
    {
        var name = new string(taskHub.Where(char.IsAsciiLetterOrDigit).ToArray());
        if (name.Length < 3 || !char.IsAsciiLetter(name[0]) || name.Length > 45)
            throw new InvalidOperationException(
                $"{DurableSettings.Section}:TaskHub '{taskHub}' must start with a letter " +
                "and have 3 to 45 letters or digits.");
        return name;
    }
}
