using Personas.Local;
using Personas.Local.Cli;
using Personas.Local.Demo;
using Personas.Api.Hosting;

// personas serve [--urls URL]   run the API host (the default)
// personas demo [runtime]       run the persona flow (or the runtime showcase) end to end against an in-process host
// personas prepare-photos --in DIR --out DIR [--mode portrait|fullbody]
var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
var rest = args.Length > 0 && args[0] == command ? args[1..] : args;
switch (command)
{
    case "serve":
        var app = LocalHost.Build(rest);
        await app.StartAsync();
        Console.WriteLine($"Personas is listening on {string.Join(", ", app.Urls)}");
        if (app.Services.GetService<DevKeyNotice>() is { } devKey)
            Console.WriteLine($"Local dev API key (owner 'dev'{(devKey.Created ? ", new" : "")}, saved in {devKey.Path}):" +
                $"{Environment.NewLine}  X-Api-Key: {devKey.Key}");
        await app.WaitForShutdownAsync();
        return 0;
    case "demo":
        return await DemoHost.RunAsync(rest);
    case "prepare-photos":
        return await PreparePhotosCommand.RunAsync(rest);
    default:
        Console.Error.WriteLine($"Unknown command '{command}'. Use 'serve', 'demo' or 'prepare-photos'.");
        return 2;
}
