using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Personas.Domain.Blobs;
using Personas.Domain.Personas;
using Personas.Domain.Stores;
using Personas.Domain.Training;
using Personas.Orchestrations.Generations;
using Personas.Orchestrations.Training;
using Personas.Providers.Generation;
using Personas.Providers.Training;
using Personas.TestPhotos;

namespace Personas.Functions.Tests.Hardening.Crash;

/// <summary>
/// A paid activity delivered again (the host died after it paid, before the runtime recorded its result) finds the
/// call in the ledger and pays nothing more.
/// </summary>
public sealed class PaidOnceTests(DryRunApiHost host) : IClassFixture<DryRunApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);
    private T Service<T>() where T : notnull => host.App.Services.GetRequiredService<T>();

    [Fact]
    public async Task A_picture_redelivered_under_the_same_key_is_read_back_not_made_again()
    {
        var persona = await PersonaApiTests.CreateAsync(_alice, "zqxpaidpicture");
        var generator = new CountingGenerator();
        var pictures = new PersonaPictures(new ImageGenerators([generator], generator), Service<IBlobStore>(),
            Service<ICatalog>(), Service<IPublicLinks>(), TimeProvider.System);
        var lora = new LoraReference("w", null, "dryrun", null, "zip");
        var request = new ImageRequest(persona, "a photo", lora, 1, 64, 64, 7);
        var key = new CostKey("gen-0001", "picture/0", 0);
        var blob = BlobPaths.Join("alice", persona, "generations", "g1", "0.jpg");

        var first = await pictures.MakeAsync("alice", request, blob, "generation", key, CancellationToken.None);
        var again = await pictures.MakeAsync("alice", request, blob, "generation", key, CancellationToken.None);

        Assert.Equal(1, generator.Calls);
        Assert.Equal((first.Blob, first.Seed, first.RequestId, first.Provider, first.CostUsd),
            (again.Blob, again.Seed, again.RequestId, again.Provider, again.CostUsd));
        Assert.Equal(first.Bytes, again.Bytes);
        var row = Assert.Single(await Service<ICatalog>().ListCostsAsync("alice", persona));
        Assert.Equal(key, row.Key);

        await pictures.MakeAsync("alice", request, blob, "generation", key with { Task = "picture/1" },
            CancellationToken.None);
        Assert.Equal(2, generator.Calls);
    }

    [Fact]
    public async Task A_training_submission_redelivered_to_the_same_run_gets_the_job_it_submitted()
    {
        var persona = await PersonaApiTests.CreateAsync(_alice, "zqxpaidtrain");
        await Service<ICatalog>().UpdatePersonaAsync("alice", persona,
            p => p with
            {
                Dataset = new DatasetPackages("alice/x/fal.zip", "alice/x/rep.zip", "alice/x/kohya",
                    "alice/x/kohya.toml", 2, DateTimeOffset.UtcNow),
            });
        var provider = new CountingTrainer(new DryRunTrainingProvider(TimeProvider.System));
        var activity = new SubmitTrainingActivity(Service<ICatalog>(),
            new TrainingProviders([provider], TimeProvider.System), Service<IPublicLinks>(), TimeProvider.System);
        var input = new TrainPersonaInput("alice", persona, 1, new TrainingOptions(), 5);
        var context = new ActivityContext($"train-{persona}-01010101", nameof(SubmitTrainingActivity));

        var first = await activity.RunAsync(context, input);
        var again = await activity.RunAsync(context, input);

        Assert.Equal(1, provider.Submissions);
        Assert.Equal(first.Job, again.Job);
        Assert.Equal(first.SubmittedAt, again.SubmittedAt);
        Assert.Single(await Service<ICatalog>().ListProviderJobsAsync("alice", persona));
        Assert.Single(await Service<ICatalog>().ListCostsAsync("alice", persona));
    }

    [Fact]
    public async Task A_submission_killed_before_its_job_link_was_written_writes_it_on_redelivery()
    {
        var persona = await PersonaApiTests.CreateAsync(_alice, "zqxpaidlink");
        var instanceId = $"train-{persona}-02020202";
        var job = new TrainingJob("dry-run", "job-before-the-kill");
        var submitted = new SubmittedTraining(job, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1), []);
        // What the first delivery left: the paid call recorded, the process gone before the job link.
        await Service<ICatalog>().TryRecordPaidCallAsync(new CostEntry("alice", persona, DateTimeOffset.UtcNow,
            "dry-run", "training", 0, "v1")
        {
            Key = SubmitTrainingActivity.Key(instanceId),
            Reference = System.Text.Json.JsonSerializer.Serialize(submitted),
        });
        var provider = new CountingTrainer(new DryRunTrainingProvider(TimeProvider.System));
        var activity = new SubmitTrainingActivity(Service<ICatalog>(),
            new TrainingProviders([provider], TimeProvider.System), Service<IPublicLinks>(), TimeProvider.System);

        var again = await activity.RunAsync(new ActivityContext(instanceId, nameof(SubmitTrainingActivity)),
            new TrainPersonaInput("alice", persona, 1, new TrainingOptions(), 5));

        Assert.Equal(0, provider.Submissions);
        Assert.Equal(job, again.Job);
        var link = Assert.Single(await Service<ICatalog>().ListProviderJobsAsync("alice", persona));
        Assert.Equal((job.JobId, instanceId), (link.JobId, link.InstanceId));
    }

    private sealed class CountingGenerator : IImageGenerator
    {
        public int Calls { get; private set; }
        public string Name => "counting";
        public bool CanRun(LoraReference lora) => true;

        public Task<GeneratedImage> GenerateAsync(ImageRequest request, CancellationToken ct)
        {
            Calls++;
            return Task.FromResult(
                new GeneratedImage(Name, request.Seed, null, Samples.Load("obama.jpg"), $"request-{Calls}"));
        }

        public Task<Stream> OpenAsync(GeneratedImage image, CancellationToken ct) =>
            Task.FromResult<Stream>(new MemoryStream(image.Bytes!));
    }

    private sealed class CountingTrainer(ITrainingProvider inner) : ITrainingProvider
    {
        public int Submissions { get; private set; }
        public string Name => inner.Name;
        public TimeSpan FirstPoll => inner.FirstPoll;

        public async Task<TrainingJob> SubmitAsync(TrainingJobRequest request, CancellationToken ct)
        {
            Submissions++;
            var job = await inner.SubmitAsync(request, ct);
            // Every submission is a new job at a real provider, even within one millisecond.
            return job with { JobId = $"{job.JobId}-{Submissions}" };
        }

        public Task<TrainingStatus> GetStatusAsync(TrainingJob job, CancellationToken ct) =>
            inner.GetStatusAsync(job, ct);
        public Task CancelAsync(TrainingJob job, CancellationToken ct) => inner.CancelAsync(job, ct);
        public Task<Stream> OpenArtifactAsync(TrainingJob job, TrainingArtifact artifact, CancellationToken ct) =>
            inner.OpenArtifactAsync(job, artifact, ct);
        public Task<string?> DeleteAsync(TrainingJob job, CancellationToken ct) => inner.DeleteAsync(job, ct);
    }
}
