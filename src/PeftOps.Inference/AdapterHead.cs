using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;

namespace PeftOps.Inference;

/// <summary>
/// The one rule for which classifier head an adapter runs on, shared by forward, predict, evaluate, compare and serve:
/// an adapter that saves a classifier (PEFT's <c>modules_to_save</c>) brings its own head, so the base is loaded with a
/// head of the adapter's labels (<see cref="ModelLoadOptions.ClassLabels"/>) whatever head the base checkpoint has;
/// an adapter without one runs on the base as it is. The labels are the adapter's own (<c>peftops.labels</c>), else a
/// <c>--labels</c> file (for a released version: the labels its evaluation recorded), else the base config's
/// <c>id2label</c>, and must be as many as the saved classifier's classes.
/// </summary>
public static class AdapterHead
{
    /// <summary>The class labels in id order to load the base with; empty when the adapter saves no classifier.</summary>
    /// <param name="baseReference">The base model (<c>builtin:...</c> or a checkpoint folder) whose <c>id2label</c> names an HF PEFT adapter's classes.</param>
    /// <param name="labelsFile">A UTF-8 file, one label per line in id order, for an adapter that carries no labels; null: none given.</param>
    /// <exception cref="InputException">The labels found do not fit the classifier, or none are found for it.</exception>
    public static IReadOnlyList<string> Labels(AdapterMetadata adapter, string baseReference, string? labelsFile = null)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        if (labelsFile is not null && adapter.Labels is { } own)
            throw new InputException($"--labels {labelsFile}: {adapter.WeightsPath} carries its own labels ({AdapterMetadata.LabelsKey}: {string.Join(", ", own)}); drop --labels");
        return Resolve(adapter, baseReference, labelsFile is null ? null : (ReadFile(labelsFile), $"--labels {labelsFile}"), "pass --labels FILE, one label per line in id order");
    }

    /// <summary>
    /// The labels of a released version, which travels with the eval.json its gate judged: an adapter without labels of
    /// its own is named as that evaluation named it (<see cref="EvaluationReport.ClassLabels"/>), so the server answers
    /// with the labels the gate saw, a <c>--labels</c> file's included.
    /// </summary>
    /// <param name="evalPath">The version's eval.json, for messages.</param>
    /// <exception cref="InputException">The evaluation named other labels than the adapter's own, or none fit.</exception>
    public static IReadOnlyList<string> Released(AdapterMetadata adapter, string baseReference, EvaluationReport evaluation, string evalPath)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(evaluation);
        var recorded = evaluation.ClassLabels;
        var where = $"{evalPath}: class_labels";
        var labels = Resolve(adapter, baseReference, recorded is null ? null : (recorded, where), "evaluate it with --labels FILE and release it again");
        if (recorded is not null && !recorded.SequenceEqual(labels, StringComparer.Ordinal))
            throw new InputException($"{where} ({string.Join(", ", recorded)}) are not the labels {adapter.WeightsPath} carries ({string.Join(", ", labels)}): this eval.json measured another adapter");
        return labels;
    }

    /// <param name="given">Labels named outside the adapter and where they came from; the adapter's own win.</param>
    /// <param name="remedy">What to do when nothing names the classifier's classes.</param>
    private static IReadOnlyList<string> Resolve(AdapterMetadata adapter, string baseReference, (IReadOnlyList<string> Labels, string Where)? given, string remedy)
    {
        if (adapter.Labels is { } own)
            return Fits(own, adapter, $"{adapter.WeightsPath}: {AdapterMetadata.LabelsKey}");
        if (adapter.HeadClasses is not { } classes)
            return [];
        if (given is { } named)
            return Fits(named.Labels, adapter, named.Where);
        var (folder, _) = ModelLoader.Resolve(baseReference);
        var (_, bert, _) = HfConfigReader.Read(Path.Combine(folder, "config.json"));
        if (bert is { Labels.Count: > 0 } && bert.Labels.Count == classes)
            return bert.Labels;
        var found = bert is { Labels.Count: > 0 } ? $"its id2label has {bert.Labels.Count}" : "it has no id2label";
        throw new InputException(
            $"{adapter.WeightsPath}: no {AdapterMetadata.LabelsKey}, and its classifier has {classes} classes but base {baseReference} cannot name them ({found}); {remedy}");
    }

    private static IReadOnlyList<string> Fits(IReadOnlyList<string> labels, AdapterMetadata adapter, string where) =>
        adapter.HeadClasses is { } classes && classes != labels.Count
            ? throw new InputException($"{where}: {labels.Count} labels, but the classifier in {adapter.WeightsPath} has {classes} classes")
            : labels;

    private static List<string> ReadFile(string path)
    {
        if (!File.Exists(path))
            throw new InputException($"--labels {path}: file not found (expected one label per line, in id order)");
        var labels = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var repeated = labels.GroupBy(l => l, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (labels.Count == 0 || repeated is not null)
            throw new InputException($"--labels {path}: {(repeated is null ? "no labels" : $"label '{repeated}' appears twice")} (expected one distinct label per line, in id order)");
        return labels;
    }
}
