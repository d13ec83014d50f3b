namespace PeftOps.Peft.Format;

/// <summary>
/// PEFT's <c>bias</c> field: which biases of the base model an adapter trains and saves
/// (<see cref="PeftFormat.BiasName"/> gives the file's spelling).
/// </summary>
public enum PeftBias
{
    /// <summary><c>none</c>: no bias trains.</summary>
    None,

    /// <summary><c>all</c>: every bias of the base model trains and is saved (every state-dict key holding "bias").</summary>
    All,

    /// <summary><c>lora_only</c>: the biases of the layers LoRA wraps (<c>MODULE.base_layer.bias</c>).</summary>
    LoraOnly,
}
