namespace PeftOps.Training.Tests;

/// <summary>Training seeds torch's process-wide generator; test classes that train must not run at the same time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchRngCollection
{
    public const string Name = "torch global RNG";
}
