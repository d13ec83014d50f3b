namespace PeftOps.Modeling.Tests;

/// <summary>Dropout masks come from torch's global generator, so these tests run alone: a model loaded in parallel would draw from it too.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRngCollection
{
    public const string Name = "torch global generator";
}
