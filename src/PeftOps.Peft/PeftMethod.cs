namespace PeftOps.Peft;

/// <summary>Hugging Face PEFT's <c>peft_type</c> values that PeftOps computes (DoRA is LoRA with <c>use_dora</c>).</summary>
public enum PeftMethod
{
    Lora,
    Ia3,
}
