namespace PeftOps.Peft.Format;

/// <summary>
/// PEFT's <c>init_lora_weights</c>, the initialisations PeftOps computes
/// (<see cref="PeftFormat.InitValue"/> gives the file's spelling).
/// </summary>
public enum PeftInit
{
    /// <summary><c>true</c>: A ~ kaiming-uniform, B = 0, so a fresh adapter changes nothing.</summary>
    Default,

    /// <summary><c>"gaussian"</c>: A ~ N(0, 1/r), B = 0.</summary>
    Gaussian,

    /// <summary><c>false</c>: A and B as nn.Linear initialises them (B is not zero: a fresh adapter changes the output).</summary>
    None,
}
