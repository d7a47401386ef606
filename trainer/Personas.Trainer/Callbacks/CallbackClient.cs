using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Personas.Trainer.Callbacks;

/// <summary>
/// Reports to the host's <c>/api/webhooks/jobs</c>: each event is signed with the run's secret and retried with
/// backoff under the same event id (the host drops repeats) until a 2xx. A 4xx other than 408/429 is final: 401 means
/// the signature or clock is wrong, 404 that the host does not know the run. Until the host has accepted one of the
/// run's events, a 404 is retried for <see cref="CallbackClientOptions.UnknownRunGrace"/>: the host records the run
/// just after the execution starts, and a fast container's first event can arrive before that.
/// </summary>
public sealed class CallbackClient(HttpClient http, Uri callbackUrl, string runId, string secret,
    CallbackClientOptions options, AgentLog log)
{
    private volatile bool _known;

    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <exception cref="CallbackException">The host refused the event, or no attempt got a 2xx.</exception>
    public async Task SendAsync(CallbackEvent callback, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(callback, Json);
        var eventId = Guid.NewGuid().ToString("N");
        var delay = options.FirstDelay;
        var started = options.Clock.GetUtcNow();
        for (var attempt = 1; ; attempt++)
        {
            var (status, problem) = await AttemptAsync(body, eventId, ct);
            var outcome = status == 0 ? problem : $"{status} {(HttpStatusCode)status}";
            log.Info($"callback {callback.Status} event {eventId} attempt {attempt}: {outcome}");
            if (status is >= 200 and < 300)
            {
                _known = true;
                return;
            }
            var notRecordedYet = status == 404 && !_known
                && options.Clock.GetUtcNow() - started < options.UnknownRunGrace;
            if (status is >= 400 and < 500 and not 408 and not 429 && !notRecordedYet)
                throw new CallbackException(Refusal(status, callback.Status), status, isRejected: true);
            if (attempt >= options.MaxAttempts)
                throw new CallbackException($"The {callback.Status} callback was not accepted after {attempt} " +
                    $"attempts (last: {outcome}).", status, isRejected: status == 404);
            await Task.Delay(delay, options.Clock, ct);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxDelay.Ticks));
        }
    }

    private async Task<(int Status, string Problem)> AttemptAsync(byte[] body, string eventId, CancellationToken ct)
    {
        // Signed afresh on each attempt: the host refuses timestamps more than a few minutes old.
        var timestamp = options.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, callbackUrl);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Personas-Run", runId);
        request.Headers.Add("X-Personas-Timestamp", timestamp);
        request.Headers.Add("X-Personas-Event", eventId);
        request.Headers.Add("X-Personas-Signature", CallbackSigner.Sign(secret, runId, timestamp, eventId, body));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.AttemptTimeout);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            return ((int)response.StatusCode, "");
        }
        catch (HttpRequestException ex)
        {
            return (0, $"no answer ({ex.HttpRequestError})");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (0, $"no answer within {options.AttemptTimeout.TotalSeconds:0} s");
        }
    }

    private static string Refusal(int status, string what) => status switch
    {
        401 => $"The host refused the {what} callback with 401: the callback secret or this machine's clock is " +
            "wrong. Not retrying.",
        404 => $"The host answered 404 to the {what} callback: it does not know this run (deleted or never started). " +
            "Not retrying.",
        _ => $"The host refused the {what} callback with {status}. Not retrying.",
    };
}
