using PeftOps.Contracts;

namespace PeftOps.Configuration;

/// <summary>
/// sha256 of the resolved spec (<see cref="FlatSpec.Sha256"/> of <see cref="SpecText.Flatten"/>). Key order, comments,
/// formatting and spelled-out defaults in the YAML do not change it.
/// </summary>
public static class SpecHash
{
    public static string Compute(AdapterSpec spec) => FlatSpec.Sha256(SpecText.Flatten(spec));
}
