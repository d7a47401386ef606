using Microsoft.DurableTask;

namespace Personas.Functions.Tests.Hardening.Crash;

/// <summary>What an activity sees of its delivery: its name and the instance that scheduled it.</summary>
internal sealed class ActivityContext(string instanceId, string name) : TaskActivityContext
{
    public override TaskName Name => name;
    public override string InstanceId => instanceId;
}
