using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Personas.Durable;
using Personas.Durable.Hosting;
using Personas.Durable.TestWorker;

// Usage: Personas.Durable.TestWorker <dataDir> <ledger.db>
// Hosts AddPersonasDurable with the backend that Personas__Durable__* names (environment), running the crash suite's
// workload until it is killed.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Personas.Durable.TestWorker <dataDir> <ledger.db>");
    return 2;
}

var ledger = new Ledger(args[1]);
ledger.Create();
var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Logging.AddSimpleConsole(o => o.SingleLine = true); // the crash suite keeps "warn:" lines
// The backends' own traces (a message received, abandoned, deferred) go to the crash suite's log file: they tell why
// an instance stopped moving.
builder.Logging.AddFilter("DurableTask.AzureStorage", LogLevel.Information);
var settings = builder.Configuration.GetSection(DurableSettings.Section).Get<DurableSettings>()
    ?? new DurableSettings();
builder.Services.AddPersonasDurable(settings, args[0],
    r => LedgerWorkload.Register(r, ledger, () => Console.WriteLine(LedgerWorkload.BusyLine)));
using var host = builder.Build();
await host.StartAsync();
Console.WriteLine("worker ready");
await host.WaitForShutdownAsync();
return 0;
