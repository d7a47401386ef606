using Grpc.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using DurableTask.Core;
using P = Microsoft.DurableTask.Protobuf;

namespace Personas.Durable.Hosting;

/// <summary>
/// InProcessTestHost 0.2.3-preview.1's sidecar with two gaps closed, together with <see cref="SidecarGate"/>:
/// <list type="bullet">
/// <item><c>StartInstance</c> builds the ExecutionStartedEvent without <c>request.ScheduledStartTimestamp</c>, so an
/// instance scheduled for later started at once on every backend. The time is passed along (an async-local read by
/// the gate on the same call), so the backend's own scheduling applies (a due time in SQLite, an invisible message in
/// Azure Storage).</item>
/// <item>A result the worker hands over is committed by the sidecar's dispatcher on another thread later; a host
/// that stopped the backend before that commit ran the work again after a restart. Each result received is noted,
/// and the gate crosses it off when the backend has committed it, so the server can wait for the difference.</item>
/// </list>
/// </summary>
public sealed class PersonasSidecar(IHostApplicationLifetime lifetime, ILoggerFactory logs,
    IOrchestrationService service, IOrchestrationServiceClient client, IOptions<TaskHubGrpcServerOptions> options)
    : TaskHubGrpcServer(lifetime, logs, service, client, options)
{
    private readonly SidecarGate? _gate = service as SidecarGate;

    public override async Task<P.CreateInstanceResponse> StartInstance(P.CreateInstanceRequest request,
        ServerCallContext context)
    {
        SidecarGate.RequestedStart.Value = request.ScheduledStartTimestamp?.ToDateTime();
        try
        {
            return await base.StartInstance(request, context);
        }
        finally
        {
            SidecarGate.RequestedStart.Value = null;
        }
    }

    public override async Task<P.CompleteTaskResponse> CompleteActivityTask(P.ActivityResponse request,
        ServerCallContext context)
    {
        var key = SidecarGate.ActivityKey(request.InstanceId, request.TaskId);
        _gate?.Received(key);
        try
        {
            return await base.CompleteActivityTask(request, context);
        }
        catch
        {
            _gate?.Committed(key); // not a result the dispatcher will commit
            throw;
        }
    }

    public override async Task<P.CompleteTaskResponse> CompleteOrchestratorTask(P.OrchestratorResponse request,
        ServerCallContext context)
    {
#pragma warning disable CS0612 // IsPartial is obsolete upstream but still sent by chunking workers
        var final = !request.IsPartial;
#pragma warning restore CS0612
        var key = SidecarGate.OrchestrationKey(request.InstanceId);
        if (final) _gate?.Received(key);
        try
        {
            return await base.CompleteOrchestratorTask(request, context);
        }
        catch
        {
            if (final) _gate?.Committed(key);
            throw;
        }
    }
}
