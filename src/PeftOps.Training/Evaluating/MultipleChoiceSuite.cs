using System.Globalization;
using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Metrics;
using PeftOps.Peft;
using PeftOps.Training.Data;
using PeftOps.Training.Trainer;

namespace PeftOps.Training.Evaluating;

/// <summary>
/// A multiple-choice suite as lm-evaluation-harness scores one (<c>output_type: multiple_choice</c>): the context is the
/// question, each choice's continuation is <see cref="TargetDelimiter"/> + the choice, and a choice's score is the summed
/// log-likelihood of its continuation's tokens (<see cref="TokenLikelihood.EncodePair"/>); acc and acc_norm as
/// <see cref="ChoiceMetrics"/> decides them.
/// </summary>
internal static class MultipleChoiceSuite
{
    /// <summary>lm-evaluation-harness's default <c>target_delimiter</c>.</summary>
    public const string TargetDelimiter = " ";

    public static SuiteResult Run(PeftModel peft, SuiteSpec suite, SuiteRole role, string path, string sha, int maxLength, CancellationToken cancellationToken = default)
    {
        var rows = DataFile.ReadMultipleChoice(path);
        var pairs = new List<(int[] Context, int[] Continuation)>();
        foreach (var row in rows)
        {
            foreach (var choice in row.Choices)
            {
                var pair = TokenLikelihood.EncodePair(peft.Base, row.Question, TargetDelimiter + choice);
                if (pair.Continuation.Length == 0)
                    throw new InputException($"{path}:{row.Line}: choice '{choice}' has no tokens of its own after the question");
                pairs.Add(pair);
            }
        }
        IReadOnlyList<double> Score(string? adapter)
        {
            peft.SetAdapter(adapter);
            return TokenLikelihood.ScoreContinuations(peft.Base, pairs, maxLength, cancellationToken: cancellationToken);
        }
        var (baseScores, adaptedScores) = (Score(null), Score(TrainRecipe.AdapterName));
        var examples = new List<ExampleResult>();
        var offset = 0;
        foreach (var row in rows)
        {
            var range = new Range(offset, offset + row.Choices.Count);
            offset += row.Choices.Count;
            examples.Add(new ExampleResult
            {
                Id = row.Id, Text = row.Question, Choices = row.Choices, Gold = Index(row.Gold),
                Base = Scored(row, [.. baseScores.Take(range)]), Adapted = Scored(row, [.. adaptedScores.Take(range)]),
            });
        }
        return new SuiteResult
        {
            Name = suite.Name, Kind = suite.Kind, Role = role, DataSha256 = sha,
            Base = SuiteMetric.Means(suite.Kind, examples, adapted: false), Adapted = SuiteMetric.Means(suite.Kind, examples, adapted: true),
            Examples = examples,
        };
    }

    private static Outcome Scored(MultipleChoiceRow row, double[] loglikelihoods)
    {
        var (predicted, scores) = ChoiceMetrics.Score(loglikelihoods, row.Choices, row.Gold);
        return new Outcome { Prediction = Index(predicted), Correct = predicted == row.Gold, Loglikelihoods = loglikelihoods, Scores = scores };
    }

    private static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);
}
