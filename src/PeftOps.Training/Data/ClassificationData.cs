using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Metrics;
using PeftOps.Modeling.Checkpoints;
using static TorchSharp.torch;
using PeftOps.Inference;

namespace PeftOps.Training.Data;

/// <summary>
/// Labelled texts for a sequence classifier; every label of validation and target suites must occur in training.
/// With a scope of method oos-class, the out-of-scope messages train one more class, <c>out_of_scope</c>, last in id order.
/// </summary>
public sealed class ClassificationData : ITrainingData
{
    private readonly AdapterSpec spec;
    private readonly IReadOnlyList<LabeledText> train;
    private readonly IReadOnlyList<LabeledText>? validation;
    private readonly Dictionary<string, long> labelIds;
    private int[][]? tokens;
    private readonly bool headOnlyOutOfScope;

    public ClassificationData(AdapterSpec spec)
    {
        this.spec = spec;
        var trainPath = spec.Resolve(spec.Data.Train);
        var scope = ScopeData.Of(spec, DataFile.ReadLabeled(trainPath), trainPath);
        var oos = spec.Scope?.OutOfScope;
        var oosClass = oos?.Method == ScopeMethod.OosClass;
        var inScopeTrain = InScopeTrain = scope.InScopeRows;
        train = oosClass ? [.. inScopeTrain, .. scope.OutOfScopeRows(spec, oos!.Data)] : inScopeTrain;
        headOnlyOutOfScope = oosClass && oos!.HeadOnly;
        var inScopeLabels = LabelSet.Resolve(spec, inScopeTrain, trainPath);
        Labels = oosClass ? [.. inScopeLabels, OutOfScopeSpec.Label] : inScopeLabels;
        var validationPath = spec.Data.Validation is { } v ? spec.Resolve(v) : null;
        if (validationPath is not null)
        {
            var rows = DataFile.ReadLabeled(validationPath);
            InScopeValidation = scope.InScope(rows);
            LabelSet.CheckKnown(inScopeLabels, InScopeValidation, validationPath);
            OutOfScopeValidation = [.. scope.OutOfScope(rows), .. oos?.Validation is { } ov ? DataFile.ReadLabeled(spec.Resolve(ov), labelRequired: false) : []];
            validation = oosClass ? [.. InScopeValidation, .. OutOfScopeValidation.Select(r => r with { Label = OutOfScopeSpec.Label })] : InScopeValidation;
        }
        foreach (var suite in spec.Evaluation.Target.Where(s => s.Kind == SuiteKind.Classification))
            LabelSet.CheckKnown(inScopeLabels, DataFile.ReadLabeled(spec.Resolve(suite.Data)), spec.Resolve(suite.Data));
        labelIds = Labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => (long)x.i, StringComparer.Ordinal);
        Lengths = train.Select(e => Math.Min(spec.Task.MaxLength, e.Text.Length)).ToList();
        DataSha256 = TrainingFiles.Hashes(spec);
    }

    /// <summary>The training rows with an in-scope label: what score mahalanobis fits its class statistics on.</summary>
    public IReadOnlyList<LabeledText> InScopeTrain { get; }

    /// <summary>The validation rows with an in-scope label: what the out-of-scope threshold is calibrated on.</summary>
    public IReadOnlyList<LabeledText> InScopeValidation { get; } = [];

    /// <summary>Out-of-scope validation messages (scope.out_of_scope.validation and rows outside scope.in_scope_labels).</summary>
    public IReadOnlyList<LabeledText> OutOfScopeValidation { get; } = [];

    public IReadOnlyList<string> Labels { get; }
    public IReadOnlyList<int> Lengths { get; }
    public IReadOnlyDictionary<string, string> DataSha256 { get; }
    public bool HasValidation => validation is not null;
    public (string Name, bool HigherIsBetter) ValidationMetric => spec.Training.EarlyStopping?.Metric switch
    {
        "loss" => ("loss", false),
        { } metric => (metric, true),
        null => ("macro_f1", true),
    };

    /// <summary>A batch of training examples; the texts are tokenised once, on the first call, not in every epoch.</summary>
    public TextBatch Encode(TransformerModel model, IReadOnlyList<int> indices, Device device)
    {
        var tokenizer = model.Tokenizer ?? throw new InputException($"{spec.SourcePath}: base_model {spec.BaseModel} has no vocab.txt tokenizer");
        tokens ??= train.Select(e => tokenizer.Encode(e.Text, spec.Task.MaxLength).InputIds).ToArray();
        return TextBatch.Pad(indices.Select(i => tokens[i]).ToList(), tokenizer.PadId, indices.Select(i => labelIds[train[i].Label]).ToArray(), device,
            headOnlyOutOfScope ? [.. indices.Select(i => train[i].Label == OutOfScopeSpec.Label)] : null);
    }

    public double Validate(TransformerModel model, CancellationToken cancellationToken = default)
    {
        var probs = Predictor.Probabilities(model, validation!.Select(v => v.Text).ToList(), spec.Task.MaxLength, cancellationToken: cancellationToken);
        var predicted = probs.Select(p => Labels[Predictor.ArgMax(p)]).ToList();
        var gold = validation!.Select(v => v.Label).ToList();
        return ValidationMetric.Name switch
        {
            "accuracy" => EvalMetrics.Accuracy(gold, predicted),
            // mean cross-entropy of the gold labels: -1/N sum log p(gold)
            "loss" => -validation!.Select((v, i) => Math.Log(Math.Max(probs[i][(int)labelIds[v.Label]], double.Epsilon))).Average(),
            _ => EvalMetrics.MacroF1(gold, predicted),
        };
    }
}
