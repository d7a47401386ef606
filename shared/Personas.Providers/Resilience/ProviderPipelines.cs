using System.Net;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Personas.Providers.Resilience;

/// <summary>
/// One named resilience pipeline per provider: a per-attempt timeout, retries with jitter on transient failures only
/// (connection errors, 408, 429, 5xx), and a circuit breaker so a provider that is down fails fast and the caller can
/// fail over. Built once per provider name and reused.
/// </summary>
public static class ProviderPipelines
{
    private static readonly Dictionary<string, ResiliencePipeline<HttpResponseMessage>> Pipelines = new();
    private static readonly Lock Gate = new();

    public static ResiliencePipeline<HttpResponseMessage> For(string provider, TimeSpan? attemptTimeout = null, int retries = 3)
    {
        lock (Gate)
        {
            if (Pipelines.TryGetValue(provider, out var pipeline)) return pipeline;
            var transient = new PredicateBuilder<HttpResponseMessage>()
                .Handle<HttpRequestException>()
                .Handle<TimeoutRejectedException>()
                .HandleResult(r => r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500);
            var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = provider };
            // A call that creates something visible (a post) gets no retries here: its retry must look first (publishing reconciles).
            if (retries > 0)
                builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    ShouldHandle = transient, MaxRetryAttempts = retries, BackoffType = DelayBackoffType.Exponential, UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(500),
                });
            pipeline = builder
                .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
                {
                    ShouldHandle = transient, FailureRatio = 0.8, MinimumThroughput = 10, SamplingDuration = TimeSpan.FromSeconds(60),
                    BreakDuration = TimeSpan.FromSeconds(30),
                })
                .AddTimeout(attemptTimeout ?? TimeSpan.FromSeconds(30))
                .Build();
            Pipelines[provider] = pipeline;
            return pipeline;
        }
    }
}
