namespace Personas.Api.Hosting;

/// <summary>
/// The host's settings, under <c>Personas:*</c> in configuration. The environment may also set them with the
/// short names in <see cref="EnvironmentAliases"/>. README.md and local.settings.example.json list them all.
/// </summary>
public sealed class PersonasSettings
{
    public const string Section = "Personas";

    /// <summary>Where the SQLite file and blobs live. Default <c>./.personas</c>.</summary>
    public string DataDir { get; set; } = ".personas";

    /// <summary><c>key1=owner1;key2=owner2</c>. Empty locally means a dev key is made and printed.</summary>
    public string? ApiKeys { get; set; }

    /// <summary>Key for signed download links (any string of 32+ characters). Empty locally means one is made and kept in the data directory.</summary>
    public string? BlobSigningKey { get; set; }

    /// <summary>Largest JSON body the instance API accepts, in bytes.</summary>
    public int MaxJsonBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Seconds a caller is told to wait before polling a running instance again.</summary>
    public int RetryAfterSeconds { get; set; } = 2;

    /// <summary>
    /// The host's public https address (for example <c>https://personas.example.com</c>). Providers fetch datasets and send
    /// webhooks there. Empty (the local default): no webhooks, so training finishes by polling, and fal.ai/Replicate,
    /// which must download the dataset, cannot be used.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    public string DatabasePath => Path.Combine(Path.GetFullPath(DataDir), "personas.db");

    public static readonly IReadOnlyDictionary<string, string> EnvironmentAliases = new Dictionary<string, string>
    {
        ["PERSONAS_DATA_DIR"] = $"{Section}:{nameof(DataDir)}",
        ["PERSONAS_API_KEYS"] = $"{Section}:{nameof(ApiKeys)}",
    };

    /// <summary>True when running inside Azure Functions or Container Apps, where no dev key may be made.</summary>
    public static bool RunningInAzure =>
        Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") is not null
        || Environment.GetEnvironmentVariable("WEBSITE_INSTANCE_ID") is not null
        || Environment.GetEnvironmentVariable("CONTAINER_APP_NAME") is not null;
}
