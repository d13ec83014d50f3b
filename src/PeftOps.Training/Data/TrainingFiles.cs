using PeftOps.Configuration;

namespace PeftOps.Training.Data;

internal static class TrainingFiles
{
    /// <summary>sha256 of every file training reads (<see cref="SpecDataFiles.Training"/>), by path as the spec writes it.</summary>
    public static IReadOnlyDictionary<string, string> Hashes(AdapterSpec spec) =>
        SpecDataFiles.Training(spec).ToDictionary(f => f.Path, f => DataFile.Sha256(spec.Resolve(f.Path)));
}
