using Personas.Trainer.Training;

namespace Personas.Functions.Tests.Trainer;

public sealed class ProgressParserTests
{
    private readonly ProgressParser _parser = new(totalSteps: 1200);

    [Theory]
    [InlineData("steps: 300/1200 loss=0.04", 300)] // sd-scripts, as fake-trainer.sh prints it
    [InlineData("steps:  25%|██▌       | 300/1200 [05:01<15:03,  1.00s/it, avr_loss=0.0912]", 300)]
    [InlineData("zqx:  50%|█████     | 600/1200 [10:02<10:02, lr: 4.0e-04 loss: 3.1e-01]", 600)] // ai-toolkit
    [InlineData("epoch 2/10, step 900 / 1200", 900)] // only the fraction over the run's steps counts
    [InlineData("1200/1200", 1200)]
    public void A_step_over_the_runs_total_is_found(string line, int step) => Assert.Equal(step, _parser.StepIn(line));

    [Theory]
    [InlineData("epoch 2/10")]
    [InlineData("saved at 2026/12/01")]
    [InlineData("1300/1200")]
    [InlineData("caching latents 12/40")]
    [InlineData("11200/12000")]
    [InlineData("loading model")]
    [InlineData("")]
    public void Other_numbers_are_not_progress(string line) => Assert.Null(_parser.StepIn(line));
}
