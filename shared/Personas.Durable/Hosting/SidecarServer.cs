using System.Net.Sockets;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Personas.Durable.Hosting;

/// <summary>
/// Serves a DurableTask.Core backend to the SDK's worker and client over gRPC on a Unix socket private to this
/// process: the modern SDK only talks to a sidecar, and this is ours. It runs as its own small Kestrel app so it keeps
/// its own lifetime: registered before the worker, it starts first and stops last, so results the worker is still
/// sending when the host stops are committed.
/// </summary>
public sealed class SidecarServer(DurableBackend backend, ILoggerFactory loggerFactory)
    : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>How long a stop waits for results the worker handed over to be committed.</summary>
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);

    public string SocketPath { get; } = Path.Combine(Path.GetTempPath(), $"personas-durable-{Guid.NewGuid():N}.sock");

    public DurableBackend Backend { get; } = backend;

    /// <summary>A channel to this sidecar. gRPC connects lazily, so it can be made before the server starts.</summary>
    public GrpcChannel CreateChannel() => GrpcChannel.ForAddress("http://sidecar", new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            EnableMultipleHttp2Connections = true,
        },
        MaxReceiveMessageSize = null,
        MaxSendMessageSize = null,
        LoggerFactory = loggerFactory,
    });

    /// <summary>Starts the sidecar; a second call does nothing, so a caller may start it ahead of the host.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_app is not null) return;
        await Backend.Service.CreateIfNotExistsAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(Backend.Service);
        builder.Services.AddSingleton(Backend.Client);
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = null;
            o.MaxSendMessageSize = null;
        });
        builder.Services.AddSingleton<PersonasSidecar>();
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(SocketPath, l => l.Protocols = HttpProtocols.Http2));
        _app = builder.Build();
        _app.MapGrpcService<PersonasSidecar>();
        if (File.Exists(SocketPath)) File.Delete(SocketPath);
        await _app.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is null) return;
        // The worker has stopped (it is registered after this): results it handed over are committed first.
        if (Backend.Service is SidecarGate gate) await gate.WaitForReceivedResultsAsync(DrainLimit, cancellationToken);
        await _app.StopAsync(cancellationToken);
        // The sidecar stops its dispatchers, and then the backend, from an async void ApplicationStopping callback
        // that nothing waits for, and that first waits for work items handed to the worker, which has already
        // stopped. The backend went on renewing its leases (SQLite) and holding and prefetching its partitions
        // (Azure Storage) while this process lived, so a new host could not take the instances: the drain test hung
        // on both. The decorators pass only the first stop on, so the sidecar's own late call does nothing.
        try
        {
            await Backend.Service.StopAsync().WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Out of shutdown time (Azure Storage on a busy Azurite can take that long): the backend's leases and
            // locks lapse on their own, as after a crash, so the host stops rather than failing its stop.
            loggerFactory.CreateLogger<SidecarServer>().LogWarning(
                "The {Backend} backend did not stop within the host's shutdown time; its leases will lapse",
                Backend.Name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _app = null;
        if (File.Exists(SocketPath)) File.Delete(SocketPath);
        (Backend.Service as IDisposable)?.Dispose();
    }
}

/// <summary>A DurableTask.Core backend: the work-item side and the client side (usually one object).</summary>
public sealed record DurableBackend(string Name, IOrchestrationService Service, IOrchestrationServiceClient Client);
