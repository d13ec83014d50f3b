using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Reporting;
using PeftOps.Modeling.Chat;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Generation;
using PeftOps.TestSupport;
using PeftOps.Training.Evaluating;
using PeftOps.Training.Trainer;
using Spectre.Console;

namespace PeftOps.Training.Tests;

/// <summary>
/// A tiny decoder trained on its answers, then evaluated with a generation suite (a prompt row and a chat row rendered by
/// the checkpoint's chat template) and a multiple-choice suite, gated on the real eval.json and rendered as report.md.
/// </summary>
[Collection(TorchRngCollection.Name)]
public sealed class DecoderSuitesEndToEndTests
{
    [Fact]
    public void Evaluate_gate_and_report_with_generation_and_multiple_choice_suites()
    {
        using var adapter = new TinyLlamaAdapter();
        using var runs = new TempDirectory();
        var model = Path.Combine(Path.GetDirectoryName(adapter.Directory)!, "model");
        // a chat template that writes bos's text and then the user's words, as trained
        File.WriteAllText(Path.Combine(model, "tokenizer_config.json"), """
            {"bos_token": "<s>", "eos_token": "</s>", "chat_template": "{{ bos_token }}{% for message in messages %}{{ message['content'] }}{% endfor %}"}
            """);
        File.WriteAllLines(adapter.Combine("data", "colours.jsonl"),
        [
            """{"id": "sky", "question": "what is the colour of sky ?", "choices": ["blue .", "green .", "red ."], "gold": 0}""",
            """{"id": "grass", "question": "what is the colour of grass ?", "choices": ["blue .", "green .", "red ."], "gold": 1}""",
            """{"id": "fire", "question": "what is the colour of fire ?", "choices": ["blue .", "green .", "red ."], "gold": 2}""",
            """{"id": "sea", "question": "what is the colour of sea ?", "choices": ["blue .", "green .", "red ."], "gold": 0}""",
        ]);
        File.WriteAllLines(adapter.Combine("data", "answers-gen.jsonl"),
        [
            """{"id": "sky", "prompt": "what is the colour of sky ?", "reference": "blue .", "contains": ["blue"]}""",
            """{"id": "grass", "messages": [{"role": "user", "content": "what is the colour of grass ?"}], "reference": "green .", "contains": ["green"]}""",
            """{"id": "fire", "prompt": "what is the colour of fire ?", "reference": "red .", "not_contains": ["blue", "green"], "regex": ["^\\s*red"]}""",
            """{"id": "sea", "prompt": "what is the colour of sea ?", "reference": "blue .", "contains": ["blue"]}""",
        ]);
        var yaml = File.ReadAllText(adapter.Combine("adapter.yaml"))
            .Replace("""
                    - {name: answers, kind: perplexity, data: data/answers.jsonl}
                """, """
                    - {name: answers, kind: perplexity, data: data/answers.jsonl}
                    - {name: policy, kind: generation, data: data/answers-gen.jsonl, max_new_tokens: 4}
                """, StringComparison.Ordinal)
            .Replace("""
                    - {name: general, kind: perplexity, data: data/general.jsonl}
                """, """
                    - {name: general, kind: perplexity, data: data/general.jsonl}
                    - {name: colours, kind: multiple-choice, data: data/colours.jsonl}
                """, StringComparison.Ordinal)
            .Replace("target: [{metric: answers.perplexity, min_delta: 0.0}]",
                "target: [{metric: answers.perplexity, min_delta: 0.0}, {metric: policy.pass_rate, min_delta: 0.0}, {metric: policy.rouge_l, min_delta: 0.0}]", StringComparison.Ordinal)
            .Replace("non_target: [{metric: general.perplexity, max_drop: 1000.0}]",
                "non_target: [{metric: general.perplexity, max_drop: 1000.0}, {metric: colours.acc, max_drop: 0.5}]", StringComparison.Ordinal);
        File.WriteAllText(adapter.Combine("adapter.yaml"), yaml);
        var spec = AdapterSpecLoader.Load(adapter.Directory);
        Assert.Equal(2, spec.Evaluation.Target.Count); // the replacements took
        Assert.Equal(2, spec.Evaluation.NonTarget.Count);
        using var progress = new TrainProgress(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }), interactive: false);

        TrainRecipe.Run(spec, new TrainOptions(runs.Combine("run")), progress, CancellationToken.None);
        var report = EvaluateRecipe.Run(spec, runs.Combine("run", "adapter"), [], "cpu", null);
        var evalPath = runs.Combine("eval", "eval.json");
        Directory.CreateDirectory(runs.Combine("eval"));
        EvaluationReportJson.Write(evalPath, report);
        var result = GateRunner.Run(spec.Gate, spec.Name, evalPath, null, runs.Combine("gate"), stepSummaryPath: null, CancellationToken.None);

        // multiple-choice: the trained answers are the most likely continuations; each choice has its own log-likelihood
        var colours = report.Suites.Single(s => s.Name == "colours");
        Assert.Equal(1.0, colours.Adapted.Metrics[MetricNames.Acc]);
        Assert.All(colours.Examples, e => Assert.Equal(3, e.Adapted.Loglikelihoods!.Count));
        Assert.All(colours.Examples, e => Assert.All(e.Adapted.Loglikelihoods!, ll => Assert.True(ll < 0)));
        // generation: the adapted model answers as trained (greedy, then </s>); the chat row went through the template
        var policy = report.Suites.Single(s => s.Name == "policy");
        Assert.Equal(["blue .", "green .", "red .", "blue ."], policy.Examples.Select(e => e.Adapted.Answer!.Trim()));
        Assert.Equal("<s>what is the colour of grass ?", policy.Examples[1].Text);
        Assert.Equal(1.0, policy.Adapted.Metrics[MetricNames.PassRate]);
        Assert.Equal(1.0, policy.Adapted.Metrics[MetricNames.ExactMatch]);
        Assert.Equal(1.0, policy.Adapted.Metrics[MetricNames.RougeL]);
        Assert.Equal(100.0, policy.Adapted.Metrics[MetricNames.ChrF], 9);
        // the gate read eval.json back, judged the new metrics and wrote gate.json and report.md
        var gate = GateResultJson.Read(runs.Combine("gate", GateRunner.GateFile));
        Assert.Equal(result.Verdict, gate.Verdict);
        Assert.Contains(gate.Rules, r => r.Metric == "policy.pass_rate" && r.PTest == PTest.Mcnemar);
        Assert.Contains(gate.SuiteMetrics, m => m.Suite == "colours" && m.Metric == MetricNames.AccNorm);
        var markdown = File.ReadAllText(runs.Combine("gate", GateRunner.ReportFile));
        Assert.Contains("#### Multiple-choice and generation suites", markdown, StringComparison.Ordinal);
        Assert.Contains("| `policy` | `pass_rate` | 4 |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chat_prompt_reaches_the_generator_with_one_bos_token_where_the_template_writes_it_and_none_where_it_does_not()
    {
        using var adapter = new TinyLlamaAdapter();
        using var model = ModelLoader.Load(Path.Combine(Path.GetDirectoryName(adapter.Directory)!, "model"));
        var template = ChatTemplate.FromText("{{ bos_token }}{% for message in messages %}{{ message['content'] }}{% endfor %}",
            new Dictionary<string, object?> { ["bos_token"] = "<s>" });
        var plain = ChatTemplate.FromText("{% for message in messages %}{{ message['content'] }}{% endfor %}", new Dictionary<string, object?> { ["bos_token"] = "<s>" });
        ChatMessage[] messages = [new("user", "what is the colour of sky ?")];

        var rendered = template.Render(messages, addGenerationPrompt: true);

        Assert.Equal("<s>what is the colour of sky ?", rendered);
        // <s> what is the colour of sky ?: one bos id, no unknown pieces of "<s>" spelt out (the word-level tokenizer's <unk> is 0)
        Assert.Equal([1, 3, 4, 5, 6, 7, 8, 24], ChatPrompt.EncodeRendered(model, template, rendered));
        Assert.Equal([1, 3, 4, 5, 6, 7, 8, 24], ChatPrompt.Encode(model, template, messages));
        // a template that writes no bos (ChatML) gets none, as chat training lays the conversation out and as
        // apply_chat_template(tokenize=True) gives it
        Assert.Equal([3, 4, 5, 6, 7, 8, 24], ChatPrompt.Encode(model, plain, messages));
    }
}
