using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;

namespace PeftOps.Inference;

/// <summary>
/// The one rule for which classifier head an adapter runs on, shared by forward, predict, evaluate, compare and serve:
/// an adapter that saves a classifier (PEFT's <c>modules_to_save</c>) brings its own head, so the base is loaded with a
/// head of the adapter's labels (<see cref="ModelLoadOptions.ClassLabels"/>) whatever head the base checkpoint has;
/// an adapter without one runs on the base as it is. The labels are the adapter's own (<c>peftops.labels</c>), else a
/// <c>--labels</c> file, else the base config's <c>id2label</c>, and must be as many as the saved classifier's classes.
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
        if (adapter.Labels is { } own)
        {
            if (labelsFile is not null)
                throw new InputException($"--labels {labelsFile}: {adapter.WeightsPath} carries its own labels ({AdapterMetadata.LabelsKey}: {string.Join(", ", own)}); drop --labels");
            Fits(own, adapter, $"{adapter.WeightsPath}: {AdapterMetadata.LabelsKey}");
            return own;
        }
        if (adapter.HeadClasses is not { } classes)
            return [];
        if (labelsFile is not null)
            return Fits(ReadFile(labelsFile), adapter, $"--labels {labelsFile}");
        var (folder, _) = ModelLoader.Resolve(baseReference);
        var (_, bert, _) = HfConfigReader.Read(Path.Combine(folder, "config.json"));
        if (bert is { Labels.Count: > 0 } && bert.Labels.Count == classes)
            return bert.Labels;
        var found = bert is { Labels.Count: > 0 } ? $"its id2label has {bert.Labels.Count}" : "it has no id2label";
        throw new InputException(
            $"{adapter.WeightsPath}: no {AdapterMetadata.LabelsKey}, and its classifier has {classes} classes but base {baseReference} cannot name them ({found}); pass --labels FILE, one label per line in id order");
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
