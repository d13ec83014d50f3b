using PeftOps.Configuration;
using PeftOps.Contracts;

namespace PeftOps.Training.Data;

/// <summary>The classifier's labels: the spec's task.labels, else the training data's, sorted ordinally.</summary>
public static class LabelSet
{
    public static IReadOnlyList<string> Resolve(AdapterSpec spec, IReadOnlyList<LabeledText> train, string trainPath)
    {
        if (spec.Task.Labels.Count == 0)
            return train.Select(e => e.Label).Distinct().Order(StringComparer.Ordinal).ToList();
        CheckKnown(spec.Task.Labels, train, trainPath);
        return spec.Task.Labels;
    }

    /// <summary>A label the classifier was not trained on is bad input, named with its file and line.</summary>
    public static void CheckKnown(IReadOnlyList<string> labels, IReadOnlyList<LabeledText> examples, string path)
    {
        var known = labels.ToHashSet(StringComparer.Ordinal);
        var unknown = examples.FirstOrDefault(e => !known.Contains(e.Label));
        if (unknown is not null)
            throw new InputException($"{path}:{unknown.Line}: label '{unknown.Label}' does not occur in the training data (expected one of: {string.Join(", ", labels)})");
    }
}
