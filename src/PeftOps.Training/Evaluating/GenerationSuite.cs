using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Metrics;
using PeftOps.Modeling.Chat;
using PeftOps.Modeling.Generation;
using PeftOps.Peft;
using PeftOps.Training.Data;
using PeftOps.Training.Trainer;

namespace PeftOps.Training.Evaluating;

/// <summary>
/// A generation suite: each row's prompt (a <c>prompt</c> string, or <c>messages</c> rendered by the base checkpoint's chat
/// template with the assistant's turn opened) is answered greedily by the base model and by the adapted model, up to the
/// suite's <c>max_new_tokens</c> and before its <c>stop</c> strings; each answer is scored against the row's reference and
/// requirements (<see cref="GenerationChecks"/>). eval.json keeps the answers cut at <see cref="Outcome.MaxAnswerLength"/>.
/// </summary>
public static class GenerationSuite
{
    private const int BatchSize = 8;

    internal static SuiteResult Run(PeftModel peft, SuiteSpec suite, SuiteRole role, string path, string sha, CancellationToken cancellationToken = default)
    {
        var rows = DataFile.ReadGeneration(path);
        var (prompts, inputs) = Prompts(peft, rows, path);
        var options = new GenerationOptions { MaxNewTokens = suite.MaxNewTokens, Stop = suite.Stop, Temperature = 0 };
        List<string> Answers(string? adapter)
        {
            peft.SetAdapter(adapter);
            var generator = new Generator(peft.Base);
            return [.. inputs.Chunk(BatchSize).SelectMany(chunk => generator.Generate(chunk, options, cancellationToken: cancellationToken)).Select(g => g.Text)];
        }
        var (baseAnswers, adaptedAnswers) = (Answers(null), Answers(TrainRecipe.AdapterName));
        var examples = rows.Select((row, i) => new ExampleResult
        {
            Id = row.Id, Text = SafeText.Truncate(prompts[i], Outcome.MaxAnswerLength), Gold = row.Checks.Reference,
            Base = Answered(row.Checks, baseAnswers[i]), Adapted = Answered(row.Checks, adaptedAnswers[i]),
        }).ToList();
        return new SuiteResult
        {
            Name = suite.Name, Kind = suite.Kind, Role = role, DataSha256 = sha,
            Base = SuiteMetric.Means(suite.Kind, examples, adapted: false), Adapted = SuiteMetric.Means(suite.Kind, examples, adapted: true),
            Examples = examples,
        };
    }

    /// <summary>
    /// Each row's prompt as shown (eval.json, the report) and as token ids for the generator: a <c>prompt</c> string as
    /// the generator tokenizes text (bos first), <c>messages</c> as <see cref="ChatPrompt"/> encodes a conversation, the
    /// one encoding <c>peftops generate</c> and the server use too.
    /// </summary>
    private static (List<string> Shown, List<int[]> Ids) Prompts(PeftModel peft, IReadOnlyList<GenerationRow> rows, string path)
    {
        ChatTemplate? template = null;
        var generator = new Generator(peft.Base);
        var (shown, ids) = (new List<string>(), new List<int[]>());
        foreach (var row in rows)
        {
            if (row.Prompt is { } prompt)
            {
                shown.Add(prompt);
                ids.Add(generator.EncodePrompt(prompt));
                continue;
            }
            template ??= ChatTemplate.FromCheckpoint(peft.Base.Source.Folder) ?? throw new InputException(
                $"{path}:{row.Line}: messages need the base model's chat template, and {peft.Base.Source.Folder} has none "
                + "(tokenizer_config.json chat_template); give the row a prompt instead");
            var rendered = template.Render(row.Messages!, addGenerationPrompt: true);
            shown.Add(rendered);
            ids.Add(ChatPrompt.EncodeRendered(peft.Base, template, rendered));
        }
        return (shown, ids);
    }

    private static Outcome Answered(GenerationChecks checks, string answer)
    {
        var (scores, pass) = checks.Score(answer);
        return new Outcome { Answer = SafeText.Truncate(answer, Outcome.MaxAnswerLength), Correct = pass, Scores = scores };
    }
}
