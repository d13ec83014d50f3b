using PeftOps.Contracts;
using Spectre.Console;

namespace PeftOps.Training.Trainer;

/// <summary>
/// Training progress on the console: a live bar with loss, learning rate and ETA when interactive,
/// otherwise one line every tenth of the run and per validation (CI logs).
/// </summary>
public sealed class TrainProgress(IAnsiConsole console, bool interactive) : IDisposable
{
    private readonly System.Diagnostics.Stopwatch clock = new();
    private int total;
    private int first;
    private string name = "";
    private ProgressTask? task;
    private Task? renderer;
    private TaskCompletionSource? finished;

    public void Start(string adapter, int totalSteps, int startStep)
    {
        (name, total, first) = (adapter, totalSteps, startStep);
        clock.Start();
        console.MarkupLine($"[bold]train[/] {Markup.Escape(adapter)}: {totalSteps} steps{(startStep > 0 ? $", resuming at step {startStep}" : "")}");
        if (!interactive)
            return;
        finished = new TaskCompletionSource();
        var ready = new TaskCompletionSource();
        renderer = console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                task = ctx.AddTask(Markup.Escape(adapter), maxValue: totalSteps);
                task.Value = startStep;
                ready.SetResult();
                await finished.Task.ConfigureAwait(false);
            });
        ready.Task.Wait();
    }

    public void Step(int step, double loss, double learningRate)
    {
        if (task is not null)
        {
            task.Value = step;
            task.Description = $"{Markup.Escape(name)} loss {loss:F4} lr {learningRate:E2}";
            return;
        }
        if (step == total || step % Math.Max(1, total / 10) == 0)
        {
            var done = step - first;
            var eta = done > 0 ? TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / done * (total - step)) : TimeSpan.Zero;
            console.WriteLine($"  step {step}/{total}  loss {loss:F4}  lr {learningRate:E2}  eta {eta:mm\\:ss}");
        }
    }

    /// <summary>The out-of-scope threshold calibrated on validation data.</summary>
    public void Scope(AdapterScope scope)
    {
        var oos = scope.ValidationOosRecall is { } r ? FormattableString.Invariant($", out-of-scope validation rejected {r:P1}") : "";
        console.WriteLine(FormattableString.Invariant(
            $"  scope: {ScopeNames.Name(scope.Method)}, {(scope.Score == ScopeScore.Confidence ? "" : ScopeNames.Name(scope.Score) + " ")}threshold {scope.Threshold:F4}: in-scope validation accepted {scope.ValidationInScopeRecall:P1} (target {scope.TargetInScopeRecall:P1}){oos}"));
    }

    public void Validation(int epoch, string metric, double value)
    {
        if (task is null)
            console.WriteLine($"  epoch {epoch}: validation {metric} {value:F4}");
    }

    public void Done(TrainSummary summary)
    {
        Dispose();
        console.MarkupLine($"[green]trained[/] {Markup.Escape(summary.Adapter)}: {summary.Steps} steps in {summary.Seconds:F1} s " +
            $"({summary.ExamplesPerSecond:F0} examples/s), trainable {summary.TrainableParams:N0} of {summary.TotalParams:N0}" +
            (summary.BestStep is { } best ? $", best {summary.EarlyStoppingMetric} {summary.BestMetric:F4} at step {best}" : ""));
    }

    public void Dispose()
    {
        finished?.TrySetResult();
        renderer?.Wait();
        renderer = null;
    }
}
