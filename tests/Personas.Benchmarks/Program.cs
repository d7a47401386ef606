using Personas.Benchmarks;

// Usage: Personas.Benchmarks [runtime [backend...]|photos|intake|faces]
// Prints one line per figure: bench <name> <value> <unit>
var suite = args.FirstOrDefault() ?? "runtime";
return suite switch
{
    "photos" => await PhotoBench.RunAsync(),
    "intake" => await IntakeBench.RunAsync(),
    "faces" => await FaceBench.RunAsync(),
    "runtime" => await RuntimeBench.RunAsync(args.Skip(1).ToArray()),
    _ => Unknown(suite),
};

static int Unknown(string suite)
{
    Console.Error.WriteLine($"Unknown suite '{suite}'. Available: runtime, photos, intake, faces");
    return 2;
}
