using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Personas.Providers.Webhooks;
using Personas.Trainer;
using Personas.Trainer.Callbacks;

namespace Personas.Functions.Tests.Trainer;

/// <summary>The agent's callback client against a loopback endpoint that checks signatures with the host's own signer.</summary>
public sealed class CallbackClientTests : IAsyncLifetime
{
    private const string RunId = "run-per_1-v1-abcdef12";
    private readonly JobCallbackSigner _hostSigner = new("master-key-for-tests"u8.ToArray(), TimeProvider.System);
    private readonly ConcurrentQueue<int> _answers = new();
    private readonly ConcurrentQueue<(string EventId, bool Verified)> _received = new();
    private readonly StringWriter _log = new();
    private WebApplication _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync(app => app.MapPost("/hook",
        async (HttpContext http) =>
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body);
        var h = http.Request.Headers;
        var verdict = _hostSigner.Verify(h["X-Personas-Run"], h["X-Personas-Timestamp"], h["X-Personas-Event"],
            h["X-Personas-Signature"], body.ToArray());
        _received.Enqueue((h["X-Personas-Event"].ToString(), verdict.Valid));
        return Results.StatusCode(verdict.Valid ? (_answers.TryDequeue(out var status) ? status : 200) : 401);
    }));

    private CallbackClient Client(string secret, int maxAttempts = 5, TimeSpan? unknownRunGrace = null) =>
        new(new HttpClient(), new Uri(_server.Urls.First() + "/hook"), RunId, secret,
            new CallbackClientOptions
            {
                MaxAttempts = maxAttempts, FirstDelay = TimeSpan.FromMilliseconds(1),
                UnknownRunGrace = unknownRunGrace ?? TimeSpan.FromMinutes(5),
            },
            new AgentLog(_log, TimeProvider.System));

    [Fact]
    public async Task A_404_before_the_host_has_accepted_an_event_is_retried_and_after_one_it_is_final()
    {
        // The run's first event can arrive before the host has recorded the run (a fast container).
        _answers.Enqueue(404);
        var client = Client(_hostSigner.SecretFor(RunId));
        await client.SendAsync(CallbackEvent.Running(0, 10, "preparing the dataset"), default);
        Assert.Equal(2, _received.Count);

        _answers.Enqueue(404); // the run is known now: a 404 means it was deleted
        var error = await Assert.ThrowsAsync<CallbackException>(() =>
            client.SendAsync(CallbackEvent.Running(1, 10, "step 1/10"), default));
        Assert.True(error.IsRejected);
        Assert.Equal(404, error.Status);
        Assert.Equal(3, _received.Count);
    }

    [Fact]
    public async Task A_404_past_the_grace_is_final_even_if_no_event_was_accepted()
    {
        _answers.Enqueue(404);

        var error = await Assert.ThrowsAsync<CallbackException>(() => Client(_hostSigner.SecretFor(RunId),
            unknownRunGrace: TimeSpan.Zero).SendAsync(CallbackEvent.Running(0, 10, "preparing"), default));

        Assert.True(error.IsRejected);
        Assert.Single(_received);
    }

    [Fact]
    public async Task Its_signature_is_the_hosts_and_transient_failures_are_retried_under_one_event_id()
    {
        _answers.Enqueue(503);
        _answers.Enqueue(429);

        await Client(_hostSigner.SecretFor(RunId)).SendAsync(CallbackEvent.Running(3, 10, "step 3/10"), default);

        Assert.Equal(3, _received.Count);
        Assert.All(_received, r => Assert.True(r.Verified));
        Assert.Single(_received.Select(r => r.EventId).Distinct());
        Assert.Contains("attempt 3: 200 OK", _log.ToString());
    }

    [Fact]
    public async Task A_401_stops_at_once_and_the_secret_is_never_logged()
    {
        var error = await Assert.ThrowsAsync<CallbackException>(() =>
            Client("wrong-secret-value").SendAsync(CallbackEvent.Failed("x"), default));

        Assert.True(error.IsRejected);
        Assert.Equal(401, error.Status);
        Assert.Single(_received);
        Assert.DoesNotContain("wrong-secret-value", _log.ToString() + error.Message);
    }

    [Fact]
    public async Task A_host_that_keeps_failing_is_given_up_on_after_the_attempts()
    {
        for (var i = 0; i < 3; i++) _answers.Enqueue(502);

        var error = await Assert.ThrowsAsync<CallbackException>(() => Client(_hostSigner.SecretFor(RunId), maxAttempts: 3)
            .SendAsync(CallbackEvent.Running(1, 10, "step 1/10"), default));

        Assert.False(error.IsRejected);
        Assert.Equal(502, error.Status);
        Assert.Equal(3, _received.Count);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();
}
