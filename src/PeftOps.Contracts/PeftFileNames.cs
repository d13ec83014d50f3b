namespace PeftOps.Contracts;

/// <summary>
/// The few Hugging Face PEFT names that projects which may not use <c>PeftOps.Peft</c> (it needs TorchSharp) have to
/// spell too: Registry stores a version's adapter files under these names, and adapter.yaml's <c>target_modules</c>
/// (Configuration) accepts <c>all-linear</c>. The arrows of docs/architecture.md allow Registry and Configuration to
/// use Contracts only, so the names are declared here once; <c>PeftFormat</c> (PeftOps.Peft), which owns the PEFT
/// format, defines its constants from these and is what Peft, Training, Serving and the CLI use.
/// </summary>
public static class PeftFileNames
{
    /// <summary>PEFT's adapter config, <c>adapter_config.json</c>.</summary>
    public const string Config = "adapter_config.json";

    /// <summary>PEFT's adapter weights, <c>adapter_model.safetensors</c>.</summary>
    public const string Weights = "adapter_model.safetensors";

    /// <summary><c>target_modules: "all-linear"</c>: every linear layer but the output head.</summary>
    public const string AllLinear = "all-linear";
}
