using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Personas.Durable;
using Personas.Durable.TestWorker;

// Usage: Personas.Durable.TestWorker <store.db> <ledger.db>
// Runs a durable worker with short leases until it is killed.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Personas.Durable.TestWorker <store.db> <ledger.db>");
    return 2;
}

var ledger = new Ledger(args[1]);
ledger.Create();
var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services
    .UseSqlite(args[0])
    .AddDurableTask(r => LedgerWorkload.Register(r, ledger), o =>
    {
        o.OrchestrationLease = TimeSpan.FromSeconds(2);
        o.ActivityLease = TimeSpan.FromSeconds(2);
        o.MaxPollInterval = TimeSpan.FromMilliseconds(100);
        o.MaxConcurrentActivities = 4; // slow enough that kills land while work is in flight
    });
Console.WriteLine("worker ready");
await builder.Build().RunAsync();
return 0;
