namespace PeftOps.Cli.Tests;

/// <summary>Tests that capture the process-wide console run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliCollection
{
    public const string Name = "peftops console";
}
