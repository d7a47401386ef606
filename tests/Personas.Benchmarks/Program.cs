using Personas.Benchmarks;

// Usage: Personas.Benchmarks [runtime [backend...]|photos|intake|cards|faces]
// Prints one line per figure: bench <name> <value> <unit>
var suite = args.FirstOrDefault() ?? "runtime";
return suite switch
{
    "photos" => await PhotoBench.RunAsync(),
    "intake" => await IntakeBench.RunAsync(),
    "cards" => await CardBench.RunAsync(),
    "faces" => await FaceBench.RunAsync(),
    "runtime" => await RuntimeBench.RunAsync(args.Skip(1).ToArray()),
    _ => Unknown(suite),
};

static int Unknown(string suite)
{
    Console.Error.WriteLine($"Unknown suite '{suite}'. Available: runtime, photos, intake, cards, faces");
    return 2;
}
