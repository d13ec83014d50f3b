using PeftOps.Configuration;

namespace PeftOps.Training.Trainer;

/// <summary>
/// Linear warmup from 0 to the peak over the first warmup steps, then linear decay to 0, cosine decay
/// to 0 (half a cosine period), or constant: transformers' get_*_schedule_with_warmup.
/// </summary>
public sealed record LearningRateSchedule(double Peak, int WarmupSteps, int TotalSteps, SchedulerType Type)
{
    /// <param name="step">0-based optimizer step about to be taken.</param>
    public double At(int step)
    {
        if (step < WarmupSteps)
            return Peak * step / Math.Max(1, WarmupSteps);
        var progress = (double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps);
        return Type switch
        {
            SchedulerType.Linear => Peak * Math.Max(0, 1 - progress),
            SchedulerType.Cosine => Peak * Math.Max(0, 0.5 * (1 + Math.Cos(Math.PI * progress))),
            _ => Peak,
        };
    }
}
