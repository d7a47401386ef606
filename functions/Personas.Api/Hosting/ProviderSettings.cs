using Azure.Core;
using Personas.Providers.Fal;
using Personas.Providers.Jobs;
using Personas.Providers.Replicate;

namespace Personas.Api.Hosting;

/// <summary>fal.ai, under <c>Personas:Fal:*</c>. Configured when <see cref="Key"/> is set.</summary>
public sealed class FalSettings
{
    public const string Section = "Personas:Fal";

    /// <summary>fal.ai API key (sent as <c>Authorization: Key …</c>). Empty: fal.ai is not used.</summary>
    public string Key { get; set; } = "";

    public string QueueEndpoint { get; set; } = "https://queue.fal.run/";

    public string PortraitModel { get; set; } = "fal-ai/flux-lora-portrait-trainer";

    public string FullBodyModel { get; set; } = "fal-ai/flux-lora-fast-training";

    /// <summary>Seconds before the first status poll of a training (webhooks usually come first); later polls back off to 2 minutes.</summary>
    public double FirstPollSeconds { get; set; } = 15;

    /// <summary>Where fal publishes its webhook-signing keys.</summary>
    public string JwksUrl { get; set; } = "https://rest.alpha.fal.ai/.well-known/jwks.json";

    public bool Configured => !string.IsNullOrWhiteSpace(Key);

    /// <summary>A client for the queue; the pipeline sets timeouts per attempt, so the HttpClient's own is off.</summary>
    public FalClient CreateClient() => new(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, new FalClientOptions { Key = Key, QueueEndpoint = new Uri(QueueEndpoint) });
}

/// <summary>Replicate, under <c>Personas:Replicate:*</c>. Configured when Token, TrainerVersion and Owner are all set.</summary>
public sealed class ReplicateSettings
{
    public const string Section = "Personas:Replicate";

    /// <summary>Replicate API token (sent as <c>Authorization: Bearer …</c>). Empty: Replicate is not used.</summary>
    public string Token { get; set; } = "";

    public string Endpoint { get; set; } = "https://api.replicate.com/v1/";

    public string Trainer { get; set; } = "ostris/flux-dev-lora-trainer";

    /// <summary>The trainer version id to pin; required with a token.</summary>
    public string TrainerVersion { get; set; } = "";

    /// <summary>The Replicate account (user or organisation) that owns one private destination model per persona.</summary>
    public string Owner { get; set; } = "";

    /// <summary>The account's webhook signing secret (<c>whsec_…</c>, from <c>GET /v1/webhooks/default/secret</c>). Empty: Replicate webhooks are refused and polling finishes runs.</summary>
    public string WebhookSecret { get; set; } = "";

    public double FirstPollSeconds { get; set; } = 15;

    public bool Configured => !string.IsNullOrWhiteSpace(Token) && !string.IsNullOrWhiteSpace(TrainerVersion) && !string.IsNullOrWhiteSpace(Owner);

    public ReplicateClient CreateClient() => new(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, new ReplicateClientOptions { Token = Token, Endpoint = new Uri(Endpoint) });
}

/// <summary>
/// Our own GPU training container as an Azure Container Apps job, under <c>Personas:Jobs:*</c>. Configured when
/// SubscriptionId, ResourceGroup and JobName are set. The host's identity needs start, stop and read on the job.
/// </summary>
public sealed class JobsSettings
{
    public const string Section = "Personas:Jobs";

    public string SubscriptionId { get; set; } = "";

    public string ResourceGroup { get; set; } = "";

    /// <summary>The Container Apps job (manual trigger, replicaRetryLimit 0) whose template holds the training container.</summary>
    public string JobName { get; set; } = "";

    /// <summary>The training container's name in the job's template; empty: the first container.</summary>
    public string ContainerName { get; set; } = "";

    public string ApiVersion { get; set; } = "2025-01-01";

    public string Endpoint { get; set; } = "https://management.azure.com/";

    /// <summary>A user-assigned managed identity's client id for the ARM token; empty: DefaultAzureCredential's own choice.</summary>
    public string ManagedIdentityClientId { get; set; } = "";

    public double FirstPollSeconds { get; set; } = 60;

    /// <summary>Minutes a succeeded execution may take to send its completion callback before the run fails.</summary>
    public double CompletionGraceMinutes { get; set; } = 10;

    public bool Configured => !string.IsNullOrWhiteSpace(SubscriptionId) && !string.IsNullOrWhiteSpace(ResourceGroup) && !string.IsNullOrWhiteSpace(JobName);

    public ContainerAppsJobClient CreateClient(TokenCredential credential, TimeProvider clock) => new(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, credential,
        new ContainerAppsJobClientOptions { SubscriptionId = SubscriptionId, ResourceGroup = ResourceGroup, JobName = JobName, ApiVersion = ApiVersion, Endpoint = new Uri(Endpoint) }, clock);
}

/// <summary>Training on this machine's GPU by a command, under <c>Personas:Local:*</c>. Configured when Command is set.</summary>
public sealed class LocalTrainingSettings
{
    public const string Section = "Personas:Local";

    /// <summary>
    /// The training command, run by /bin/sh. Placeholders (shell-quoted): {datasetDir} (images with .txt captions),
    /// {outputDir}, {steps}, {triggerWord}, {mode}, {learningRate}, {rank}, {resolution}, {checkpointEvery}, {runId}.
    /// </summary>
    public string Command { get; set; } = "";

    /// <summary>Where runs keep their dataset copy, output and log; empty: {DataDir}/local-training.</summary>
    public string WorkDir { get; set; } = "";

    public string OutputName { get; set; } = "lora.safetensors";

    public string ProgressPattern { get; set; } = @"(\d+)\s*/\s*(\d+)";

    public double FirstPollSeconds { get; set; } = 5;

    public bool Configured => !string.IsNullOrWhiteSpace(Command);
}
