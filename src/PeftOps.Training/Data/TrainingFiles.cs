using PeftOps.Configuration;

namespace PeftOps.Training.Data;

internal static class TrainingFiles
{
    /// <summary>sha256 of the training and validation files, keyed as the spec names them.</summary>
    public static IReadOnlyDictionary<string, string> Hashes(AdapterSpec spec, string trainPath, string? validationPath)
    {
        var hashes = new Dictionary<string, string> { [spec.Data.Train] = DataFile.Sha256(trainPath) };
        if (validationPath is not null)
            hashes[spec.Data.Validation!] = DataFile.Sha256(validationPath);
        return hashes;
    }
}
