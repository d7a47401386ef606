using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Grpc.Core;
using Personas.Api.Problems;

namespace Personas.Functions.Tests;

public sealed class ExceptionProblemsTests
{
    private static async Task<(int Status, string Body)> Handle(Exception exception)
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        Assert.True(await new ExceptionProblems(NullLogger<ExceptionProblems>.Instance).TryHandleAsync(context, exception, CancellationToken.None));
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, await new StreamReader(context.Response.Body).ReadToEndAsync());
    }

    [Fact]
    public async Task An_unexpected_error_is_a_500_problem_without_the_message_or_stack_trace()
    {
        Exception thrown;
        try { throw new InvalidOperationException("connection string Password=hunter2 was rejected"); }
        catch (Exception ex) { thrown = ex; }
        var (status, body) = await Handle(thrown);
        Assert.Equal(500, status);
        Assert.DoesNotContain("hunter2", body);
        Assert.DoesNotContain(" at ", body);
        Assert.Equal(500, JsonNode.Parse(body)!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Runtime_errors_map_to_their_statuses()
    {
        Assert.Equal(404, (await Handle(new RpcException(new Status(StatusCode.NotFound, "x")))).Status);
        Assert.Equal(409,
            (await Handle(new RpcException(new Status(StatusCode.FailedPrecondition, "running")))).Status);
        Assert.Equal(413, (await Handle(new BadHttpRequestException("too big", 413))).Status);
    }
}
