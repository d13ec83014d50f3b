using PeftOps.Contracts;
using PeftOps.Configuration;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Registry;
using PeftOps.Training.Data;

namespace PeftOps.Cli.Commands;

/// <summary>
/// The inputs a candidate for this checkout's spec is addressed by: the base model's weights, the spec and every data
/// file training and evaluation read (<see cref="SpecDataFiles.Training"/>, then each suite), by sha256, named as
/// eval.json names them.
/// </summary>
internal static class CandidateInputsOf
{
    public static CandidateInputs Checkout(AdapterSpec spec)
    {
        var data = SpecDataFiles.Training(spec).Select(f => Hash(DataRoles.Name(f.Role), f.Name, f.Path)).ToList();
        foreach (var suite in spec.Evaluation.Target.Concat(spec.Evaluation.NonTarget))
            data.Add(Hash("suite", suite.Name, suite.Data));
        return new CandidateInputs(spec.Name, ModelLoader.WeightsSha256Of(spec.BaseModel), SpecHash.Compute(spec), data);

        DataHash Hash(string role, string name, string path) => new(role, name, path, DataFile.Sha256(spec.Resolve(path)), null);
    }
}
