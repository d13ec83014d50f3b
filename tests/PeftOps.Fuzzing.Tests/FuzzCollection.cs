namespace PeftOps.Fuzzing.Tests;

/// <summary>The command-line target swaps the process-wide console, current folder and environment: one target at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzCollection
{
    public const string Name = "fuzz targets";
}
