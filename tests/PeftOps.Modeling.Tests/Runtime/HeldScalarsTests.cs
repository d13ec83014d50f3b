using System.Runtime.InteropServices;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Safetensors;
using PeftOps.TestSupport;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Tests.Runtime;

/// <summary>
/// Models run while another thread collects garbage and runs finalizers without pause, as a server's request threads and a
/// promotion's model load do. Before <see cref="PeftOps.Modeling.Runtime.HeldScalars"/>, a Scalar made for <c>x + y</c> or
/// <c>+ eps</c> could be freed while libtorch read it, failing a few forwards in ten thousand with c10's "Expected false to be
/// true" (Scalar::toFloat) or reading a wrong value.
/// </summary>
public sealed class HeldScalarsTests
{
    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-bert")]
    public async Task Forwards_on_two_threads_match_transformers_while_finalizers_run(string folder)
    {
        const int ForwardsPerThread = 1500;
        var dir = Path.Combine(TestPaths.HfPeftFixtures, folder);
        using var model = ModelLoader.Load(dir);
        var io = SafetensorsTorch.Load(Path.Combine(dir, "io.safetensors"));
        using var done = new CancellationTokenSource();
        var collector = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                _ = Enumerable.Range(0, 200).Select(i => new byte[64 + i]).ToList();
                GC.Collect(0);
                GC.WaitForPendingFinalizers();
            }
        });

        var failures = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var wrong = new List<string>();
            for (var i = 0; i < ForwardsPerThread && wrong.Count < 3; i++)
            {
                try
                {
                    using var scope = NewDisposeScope();
                    using var grad = no_grad();
                    var logits = model.Logits(io["input_ids"], io["attention_mask"]);
                    var error = (logits - io["logits"]).abs().max().item<float>();
                    if (!(error <= 1e-5f))
                        wrong.Add($"forward {i}: logits off by {error}");
                }
                catch (Exception e) when (e is ExternalException or InvalidOperationException)
                {
                    wrong.Add($"forward {i}: {e.Message.Split('\n')[0]}");
                }
            }
            return wrong;
        })));
        await done.CancelAsync();
        await collector;

        Assert.Empty(failures.SelectMany(f => f));
    }
}
