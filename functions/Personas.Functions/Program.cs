using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Personas.Functions.Hosting;

// The Azure Functions host starts this worker. Durable Functions runs the workflows (Workflows/), and each HTTP
// function hands its request to the API's shared route table (Hosting/ApiDispatcher).
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddPersonasFunctionApp(builder.Configuration);
builder.Build().Run();
