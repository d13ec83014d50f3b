using PeftOps.Configuration;
using PeftOps.Modeling.Checkpoints;
using PeftOps.TestSupport;
using PeftOps.Training.Data;
using PeftOps.Training.Evaluating;
using PeftOps.Training.Trainer;
using Spectre.Console;

namespace PeftOps.Training.Tests;

[Collection(TorchRngCollection.Name)]
public sealed class CausalLmTrainingTests
{
    [Fact]
    public void Only_the_response_and_eos_carry_labels()
    {
        using var adapter = new TinyLlamaAdapter();
        var spec = AdapterSpecLoader.Load(adapter.Directory);
        using var model = ModelLoader.Load(spec.BaseModel);

        using var batch = new CausalLmData(spec).Encode(model, [0], model.Device);

        // <s> what is the colour of sky ? | blue . </s>
        Assert.Equal([1L, 3, 4, 5, 6, 7, 8, 24, 12, 25, 2], batch.InputIds[0].data<long>().ToArray());
        Assert.Equal([-100L, -100, -100, -100, -100, -100, -100, -100, 12, 25, 2], batch.Labels![0].data<long>().ToArray());
    }

    [Fact]
    public void Supervised_fine_tuning_learns_the_responses_and_scores_perplexity_per_example()
    {
        using var adapter = new TinyLlamaAdapter();
        using var runs = new TempDirectory();
        var spec = AdapterSpecLoader.Load(adapter.Directory);
        using var progress = new TrainProgress(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }), interactive: false);

        var summary = TrainRecipe.Run(spec, new TrainOptions(runs.Combine("run")), progress, CancellationToken.None);
        var report = EvaluateRecipe.Run(spec, runs.Combine("run", "adapter"), [], "cpu", null);

        Assert.Equal("loss", summary.EarlyStoppingMetric);
        var answers = report.Suites.Single(s => s.Name == "answers");
        // the responses are learned: the validation loss is over response tokens only, so exp(loss) is the responses'
        // perplexity. At random it is about 512 (ln 512 = 6.2 nats per token, as the base model's suites show below);
        // measured after training: loss 0.021, perplexity 1.02. The questions around the responses are not trained.
        var responsePerplexity = Math.Exp(summary.BestMetric!.Value);
        Assert.True(responsePerplexity < 1.1, $"response perplexity {responsePerplexity} (validation loss {summary.BestMetric})");
        Assert.True(responsePerplexity < answers.Base.Metrics["perplexity"] / 100,
            $"response perplexity {responsePerplexity} against the base model's {answers.Base.Metrics["perplexity"]}");
        // whole-text perplexity: the questions were never trained, so it need not fall; it is paired per example
        var general = report.Suites.Single(s => s.Name == "general");
        foreach (var suite in new[] { answers, general })
        {
            // a suite's perplexity is exp(summed nll / summed tokens) over its examples, for base and adapted alike
            Assert.Equal(Math.Exp(suite.Examples.Sum(e => e.Base.Nll!.Value) / suite.Examples.Sum(e => e.Base.Tokens!.Value)), suite.Base.Metrics["perplexity"], 1e-9);
            Assert.Equal(Math.Exp(suite.Examples.Sum(e => e.Adapted.Nll!.Value) / suite.Examples.Sum(e => e.Adapted.Tokens!.Value)), suite.Adapted.Metrics["perplexity"], 1e-9);
            // the random base model (logits ~ 0) is close to uniform over its 512 ids: perplexity near 512
            Assert.InRange(suite.Base.Metrics["perplexity"], 256, 1024);
        }
        // the retrained lm_head puts its mass on the answers, so text it never saw gets much less likely: a
        // forgetting the non-target perplexity rule exists to catch (measured: 490 -> 2,589, 5.3 times)
        Assert.True(general.Adapted.Metrics["perplexity"] > 3 * general.Base.Metrics["perplexity"],
            $"general perplexity {general.Base.Metrics["perplexity"]} -> {general.Adapted.Metrics["perplexity"]}");
        Assert.All(answers.Examples, e => Assert.Equal(e.Base.Tokens, e.Adapted.Tokens));
        Assert.Equal(9, answers.Examples[0].Base.Tokens); // <s> + 9 words: 9 next-token predictions
        Assert.NotNull(report.Latency);
    }

    [Fact]
    public void A_byte_level_bpe_tokenizer_json_in_llama_3_shape_trains_the_same_way()
    {
        var tokenizer = Path.Combine(TestPaths.ByteLevelBpe("llama3"), "tokenizer.json");
        using var adapter = new TinyLlamaAdapter(tokenizer);
        using var runs = new TempDirectory();
        var spec = AdapterSpecLoader.Load(adapter.Directory);
        using var model = ModelLoader.Load(spec.BaseModel);
        using var progress = new TrainProgress(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }), interactive: false);

        using var batch = new CausalLmData(spec).Encode(model, [0], model.Device);
        var summary = TrainRecipe.Run(spec, new TrainOptions(runs.Combine("run")), progress, CancellationToken.None);

        // the response "blue ." is the tokenizer's own encoding of it, then </s>; only those carry labels
        var response = model.DecoderTokenizer!.Encode("blue .").Select(id => (long)id).Append(2L).ToArray();
        var labels = batch.Labels![0].data<long>().ToArray();
        Assert.Equal(response, labels[^response.Length..]);
        Assert.All(labels[..^response.Length], label => Assert.Equal(-100L, label));
        Assert.True(summary.BestMetric < 0.5, $"best validation loss {summary.BestMetric}");
    }
}
