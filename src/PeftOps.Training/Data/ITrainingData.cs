using PeftOps.Configuration;
using PeftOps.Modeling.Checkpoints;
using static TorchSharp.torch;

namespace PeftOps.Training.Data;

/// <summary>What differs between the tasks a trainer runs: how examples become batches and how validation scores.</summary>
public interface ITrainingData
{
    /// <summary>Class labels in id order (empty for a causal LM).</summary>
    IReadOnlyList<string> Labels { get; }

    /// <summary>Per training example, a length for bucketing.</summary>
    IReadOnlyList<int> Lengths { get; }

    /// <summary>Training data files (as the spec names them) and their sha256.</summary>
    IReadOnlyDictionary<string, string> DataSha256 { get; }

    bool HasValidation { get; }

    /// <summary>The validation metric and whether higher is better (macro_f1/accuracy up, loss down).</summary>
    (string Name, bool HigherIsBetter) ValidationMetric { get; }

    TextBatch Encode(TransformerModel model, IReadOnlyList<int> indices, Device device);

    double Validate(TransformerModel model, CancellationToken cancellationToken = default);
}

internal static class TrainingFiles
{
    /// <summary>sha256 of every file training reads (<see cref="SpecDataFiles.Training"/>), by path as the spec writes it.</summary>
    public static IReadOnlyDictionary<string, string> Hashes(AdapterSpec spec) =>
        SpecDataFiles.Training(spec).ToDictionary(f => f.Path, f => DataFile.Sha256(spec.Resolve(f.Path)));
}
