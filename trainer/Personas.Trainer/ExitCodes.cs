namespace Personas.Trainer;

/// <summary>The agent's exit codes; anything but <see cref="Succeeded"/> shows the job execution as Failed.</summary>
public static class ExitCodes
{
    public const int Succeeded = 0;
    public const int InvalidSettings = 2;
    public const int DatasetRefused = 3;
    public const int TrainerFailed = 4;
    public const int UploadFailed = 5;
    public const int CallbackRefused = 6;
    public const int CallbackUndelivered = 7;
    public const int Stopped = 143;
}
