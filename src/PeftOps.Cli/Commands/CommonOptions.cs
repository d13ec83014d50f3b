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

    /// <summary>
    /// <c>--labels FILE</c>: the class labels, one per line in id order, of an adapter that saves a classifier but carries
    /// no labels (one saved by HF PEFT whose base config has no fitting <c>id2label</c>; the rule: <c>AdapterHead</c>).
    /// </summary>
    public static Option<string> Labels() => new("--labels")
    {
        Description = "For an adapter without peftops.labels (saved by HF PEFT): its classifier's labels, one per line in id order. Default: the base config's id2label.",
    };

    /// <summary><c>--set key=value</c>, repeatable: spec overrides validated like adapter.yaml itself.</summary>
    public static Option<string[]> Set() => new("--set")
    {
        Description = "Override a spec key: key=value (training.epochs=2, method.r=4). Repeatable.",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };
}
