using System.Text.Json;
using PeftOps.Contracts;

namespace PeftOps.Inference;

/// <summary>
/// Turns a classifier's output into the <see cref="Prediction"/> that <c>peftops predict</c> and <c>peftops serve</c>
/// both give, decided by the adapter's scope (<see cref="ScopeRule"/>): an adapter with a scope answers out of scope
/// instead of forcing an intent (label null); one without refuses nothing. Scores are rounded to 6 decimals.
/// </summary>
public sealed class PredictionFormatter
{
    private static readonly JsonSerializerOptions LineJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly IReadOnlyList<string> _labels;
    private readonly ScopeRule _rule;

    /// <param name="labels">The classifier's labels in id order.</param>
    /// <param name="scope">The adapter's calibrated scope; null without one.</param>
    public PredictionFormatter(IReadOnlyList<string> labels, AdapterScope? scope)
    {
        ArgumentNullException.ThrowIfNull(labels);
        _labels = labels;
        _rule = ScopeRule.For(labels, scope);
    }

    public Prediction Format(ClassifierOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < _labels.Count; i++)
            scores[_labels[i]] = Math.Round(output.Probabilities[i], 6);
        var verdict = _rule.Decide(output);
        return new Prediction(verdict.OutOfScope ? null : verdict.Label, verdict.OutOfScope, Math.Round(verdict.OosScore, 6), scores);
    }

    /// <summary><c>peftops predict</c>'s line for <paramref name="text"/>: <c>{"text", "label", "scores", "out_of_scope", "oos_score"}</c>.</summary>
    public static string JsonLine(string text, Prediction prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        return JsonSerializer.Serialize(new Line(text, prediction.Label, prediction.Scores, prediction.OutOfScope, prediction.OosScore), LineJson);
    }

    private sealed record Line(string Text, string? Label, IReadOnlyDictionary<string, double> Scores, bool OutOfScope, double OosScore);
}
