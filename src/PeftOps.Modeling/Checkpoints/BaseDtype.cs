using System.Runtime.InteropServices;
using PeftOps.Contracts;
using PeftOps.Modeling.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Checkpoints;

/// <summary>
/// The dtype a frozen base model is held in (<c>--dtype float32|bf16</c>). bfloat16 halves the base's memory;
/// what keeps precision is elsewhere: adapters and optimizer state stay float32, RMSNorm, attention softmax and the
/// loss compute in float32, as transformers and PEFT do with a bf16 base.
/// </summary>
public static class BaseDtype
{
    /// <summary>The option's accepted spellings, for help texts.</summary>
    public const string Choices = "float32 or bf16 (bfloat16)";

    /// <summary>float32 / fp32 -> Float32; bf16 / bfloat16 -> BFloat16; anything else is bad input.</summary>
    public static ScalarType Parse(string? value, string option = "--dtype") =>
        (value ?? "float32").Trim().ToLowerInvariant() switch
        {
            "float32" or "fp32" => ScalarType.Float32,
            "bf16" or "bfloat16" => ScalarType.BFloat16,
            _ => throw new InputException($"{option} {value}: unknown dtype (expected {Choices})"),
        };

    /// <summary>The name train.json and bench reports record: float32 or bfloat16.</summary>
    public static string Name(ScalarType dtype) => dtype == ScalarType.BFloat16 ? "bfloat16" : "float32";

    /// <summary>
    /// Casts <paramref name="model"/>'s parameters to <paramref name="dtype"/> (float32 leaves them as loaded).
    /// Only decoders (Llama, Qwen2, Mistral) are supported in bfloat16, on a device libtorch runs bfloat16 matmuls on;
    /// anything else is bad input, said in one line.
    /// </summary>
    public static void Apply(TransformerModel model, ScalarType dtype, Device device)
    {
        if (dtype == ScalarType.Float32)
            return;
        if (model.Module is not LlamaForCausalLM decoder)
            throw new InputException($"--dtype {Name(dtype)}: {model.Architecture} bases run in float32 only (bfloat16 is supported for decoder checkpoints: Llama, Qwen2, Mistral)");
        EnsureSupported(dtype, device);
        decoder.to(dtype);
        // the cast gives each parameter a new tensor: a tied lm_head is tied again, not kept as a second copy
        if (decoder.Config.TieWordEmbeddings)
            decoder.TieWeights();
    }

    /// <summary>
    /// Runs a tiny matmul in <paramref name="dtype"/> on <paramref name="device"/>; libtorch refusing it is bad input,
    /// named by <paramref name="setting"/> (the option, or a spec key with <paramref name="location"/>, its file:line).
    /// </summary>
    public static void EnsureSupported(ScalarType dtype, Device device, string setting = "--dtype", string? location = null)
    {
        try
        {
            using var scope = NewDisposeScope();
            var probe = ones(2, 2, dtype, device);
            _ = matmul(probe, probe).sum().to(ScalarType.Float32).cpu().item<float>();
        }
        catch (Exception e) when (e is ExternalException or InvalidOperationException or NotSupportedException)
        {
            var at = location is null ? "" : location + ": ";
            throw new InputException($"{at}{setting} {Name(dtype)}: libtorch cannot run {dtype} on {device} ({e.Message.Split('\n')[0]}); use {setting} float32");
        }
    }
}
