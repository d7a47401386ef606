using System.Collections;
using System.Runtime.InteropServices;
using Personas.Trainer;

// Container Apps stops an execution with SIGTERM: cancel, so the trainer's process tree is ended with us.
using var stopping = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stopping.Cancel();
});
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stopping.Cancel(); };

var env = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
    .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
return await TrainerAgent.RunAsync(env, Console.Out, stopping.Token);
