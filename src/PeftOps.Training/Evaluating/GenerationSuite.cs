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
internal static class GenerationSuite
{
    private const int BatchSize = 8;

    public static SuiteResult Run(PeftModel peft, SuiteSpec suite, SuiteRole role, string path, string sha)
    {
        var rows = DataFile.ReadGeneration(path);
        var prompts = Prompts(peft, rows, path);
        var options = new GenerationOptions { MaxNewTokens = suite.MaxNewTokens, Stop = suite.Stop, Temperature = 0 };
        List<string> Answers(string? adapter)
        {
            peft.SetAdapter(adapter);
            var generator = new Generator(peft.Base);
            return [.. prompts.Chunk(BatchSize).SelectMany(chunk => generator.Generate(chunk, options)).Select(g => g.Text)];
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

    private static List<string> Prompts(PeftModel peft, IReadOnlyList<GenerationRow> rows, string path)
    {
        ChatTemplate? template = null;
        var prompts = new List<string>();
        foreach (var row in rows)
        {
            if (row.Prompt is { } prompt)
            {
                prompts.Add(prompt);
                continue;
            }
            template ??= ChatTemplate.FromCheckpoint(peft.Base.Source.Folder) ?? throw new InputException(
                $"{path}:{row.Line}: messages need the base model's chat template, and {peft.Base.Source.Folder} has none "
                + "(tokenizer_config.json chat_template); give the row a prompt instead");
            prompts.Add(template.Render(row.Messages!, addGenerationPrompt: true));
        }
        return prompts;
    }

    private static Outcome Answered(GenerationChecks checks, string answer)
    {
        var (scores, pass) = checks.Score(answer);
        return new Outcome { Answer = SafeText.Truncate(answer, Outcome.MaxAnswerLength), Correct = pass, Scores = scores };
    }
}
