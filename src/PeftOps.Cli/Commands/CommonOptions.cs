using System.CommandLine;

namespace PeftOps.Cli.Commands;

internal static class CommonOptions
{
    /// <summary><c>--dtype float32|bf16</c>: the dtype the frozen base model is held in (parsed by <c>BaseDtype.Parse</c>).</summary>
    public static Option<string> Dtype() => new("--dtype")
    {
        Description = "The dtype the frozen base model is held in: float32 (default) or bf16 (bfloat16; decoders only). Adapters and optimizer state stay float32.",
        DefaultValueFactory = _ => "float32",
    };

    /// <summary><c>--set key=value</c>, repeatable: spec overrides validated like adapter.yaml itself.</summary>
    public static Option<string[]> Set() => new("--set")
    {
        Description = "Override a spec key: key=value (training.epochs=2, method.r=4). Repeatable.",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };
}
