namespace PeftOps.Contracts;

/// <summary>Checks what JSON typing cannot: the schema id, unique names and ids, and the fields each suite kind needs.</summary>
internal static class EvaluationReportValidator
{
    public static string? FindProblem(EvaluationReport report)
    {
        if (report.Schema != EvaluationReport.SchemaId)
            return $"schema is '{report.Schema}', expected '{EvaluationReport.SchemaId}'";
        if (string.IsNullOrWhiteSpace(report.Adapter))
            return "adapter is empty, expected the adapter's name";
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var s = 0; s < report.Suites.Count; s++)
        {
            var suite = report.Suites[s];
            var at = $"suites[{s}] '{suite.Name}'";
            if (string.IsNullOrWhiteSpace(suite.Name))
                return $"suites[{s}].name is empty, expected the suite's name";
            if (!names.Add(suite.Name))
                return $"{at}: the suite name appears twice, expected unique suite names";
            var problem = FindSuiteProblem(suite);
            if (problem is not null)
                return $"{at}: {problem}";
        }
        return null;
    }

    private static string? FindSuiteProblem(SuiteResult suite)
    {
        if (suite.Kind == SuiteKind.Classification)
        {
            if (suite.Labels is null || suite.Labels.Count == 0)
                return "labels is missing, expected the class labels of a classification suite";
            foreach (var (side, metrics) in new[] { ("base", suite.Base), ("adapted", suite.Adapted) })
            {
                if (metrics.Confusion is { } confusion
                    && (confusion.Count != suite.Labels.Count || confusion.Any(row => row.Count != suite.Labels.Count)))
                    return $"{side}.confusion is not {suite.Labels.Count}x{suite.Labels.Count}, expected one row and column per label";
            }
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < suite.Examples.Count; i++)
        {
            var example = suite.Examples[i];
            if (!ids.Add(example.Id))
                return $"examples[{i}].id '{example.Id}' appears twice, expected unique ids";
            var missing = MissingField(suite.Kind, example);
            if (missing is not null)
                return $"examples[{i}] (id '{example.Id}') has no {missing}, which {SuiteKinds.Name(suite.Kind)} examples need";
            var unknown = suite.Kind == SuiteKind.Classification ? UnknownLabel(suite.Labels!, example) : null;
            if (unknown is not null)
                return $"examples[{i}] (id '{example.Id}') has {unknown}, which is not one of the suite's labels";
        }
        return null;
    }

    private static string? MissingField(SuiteKind kind, ExampleResult e) => kind switch
    {
        SuiteKind.Classification when e.Gold is null => "gold",
        SuiteKind.Classification when e.Base.Prediction is null => "base.prediction",
        SuiteKind.Classification when e.Adapted.Prediction is null => "adapted.prediction",
        SuiteKind.EmbeddingSimilarity when e.GoldScore is null => "gold_score",
        SuiteKind.EmbeddingSimilarity when e.Base.Score is null => "base.score",
        SuiteKind.EmbeddingSimilarity when e.Adapted.Score is null => "adapted.score",
        SuiteKind.OutOfScope when e.Base.Correct is null => "base.correct",
        SuiteKind.OutOfScope when e.Adapted.Correct is null => "adapted.correct",
        SuiteKind.Perplexity when e.Base.Nll is null || e.Base.Tokens is null => "base.nll and base.tokens",
        SuiteKind.Perplexity when e.Adapted.Nll is null || e.Adapted.Tokens is null => "adapted.nll and adapted.tokens",
        SuiteKind.MultipleChoice when e.Choices is not { Count: > 0 } => "choices",
        SuiteKind.MultipleChoice when !IsChoice(e.Gold, e.Choices.Count) => "gold (the index of a choice)",
        SuiteKind.MultipleChoice => MissingChoiceOutcome("base", e.Base, e.Choices.Count) ?? MissingChoiceOutcome("adapted", e.Adapted, e.Choices.Count),
        SuiteKind.Generation when e.Base.Answer is null || e.Base.Correct is null || e.Base.Scores is null => "base.answer, base.correct and base.scores",
        SuiteKind.Generation when e.Adapted.Answer is null || e.Adapted.Correct is null || e.Adapted.Scores is null => "adapted.answer, adapted.correct and adapted.scores",
        _ => null,
    };

    private static bool IsChoice(string? index, int choices) =>
        int.TryParse(index, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < choices;

    private static string? MissingChoiceOutcome(string side, Outcome o, int choices) =>
        !IsChoice(o.Prediction, choices) ? $"{side}.prediction (the index of a choice)"
        : o.Loglikelihoods is not { } ll || ll.Count != choices ? $"{side}.loglikelihoods (one per choice)"
        : o.Scores is not { } s || !s.ContainsKey(MetricNames.Acc) || !s.ContainsKey(MetricNames.AccNorm) ? $"{side}.scores acc and acc_norm"
        : null;

    private static string? UnknownLabel(IReadOnlyList<string> labels, ExampleResult e) =>
        !labels.Contains(e.Gold!) ? $"gold '{e.Gold}'"
        : !labels.Contains(e.Base.Prediction!) ? $"base.prediction '{e.Base.Prediction}'"
        : !labels.Contains(e.Adapted.Prediction!) ? $"adapted.prediction '{e.Adapted.Prediction}'"
        : null;
}
