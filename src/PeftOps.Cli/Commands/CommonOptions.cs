using System.CommandLine;

namespace PeftOps.Cli.Commands;

internal static class CommonOptions
{
    /// <summary><c>--set key=value</c>, repeatable: spec overrides validated like adapter.yaml itself.</summary>
    public static Option<string[]> Set() => new("--set")
    {
        Description = "Override a spec key: key=value (training.epochs=2, method.r=4). Repeatable.",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };
}
