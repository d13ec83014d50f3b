using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Safetensors;
using PeftOps.TestSupport;
using static TorchSharp.torch;

namespace PeftOps.Peft.Tests;

/// <summary>
/// An independent reference for adapted models: a fresh base model whose weights are edited with plain
/// tensor ops from the raw tensors an adapter saved (PEFT key names spelled out here, not taken from
/// PeftOps), so its plain forward pass computes what the adapted model must compute.
/// </summary>
internal static class Reference
{
    public const string Prefix = "base_model.model.";

    /// <summary>Every adapter in tests/data/hf-peft with the base model it was saved on.</summary>
    public static TheoryData<string, string> FixtureAdapters => new()
    {
        { "bert-lora", "tiny-bert" },
        { "bert-lora-default-init", "tiny-bert" },
        { "bert-dora", "tiny-bert" },
        { "bert-ia3", "tiny-bert" },
        { "llama-lora", "tiny-llama" },
    };

    public static TransformerModel Base(string folder) => ModelLoader.Load(Path.Combine(TestPaths.HfPeftFixtures, folder));

    public static Dictionary<string, Tensor> Io(string folder) => SafetensorsTorch.Load(Path.Combine(TestPaths.HfPeftFixtures, folder, "io.safetensors"));

    public static Tensor Logits(TransformerModel model, IReadOnlyDictionary<string, Tensor> io)
    {
        using var _ = no_grad();
        return model.Logits(io["input_ids"], io["attention_mask"]);
    }

    /// <summary>Saves the active adapter into <paramref name="directory"/> and reads its tensors back.</summary>
    public static Dictionary<string, Tensor> Saved(PeftModel peft, string directory)
    {
        peft.SaveAdapter(directory);
        return SafetensorsTorch.Load(Path.Combine(directory, "adapter_model.safetensors"));
    }

    /// <summary>
    /// LoRA: W = W0 + s B A with s = <paramref name="scaling"/>(module, r), r = rows of A.
    /// DoRA (a magnitude m saved): W = m / |W0 + s B A|_row * (W0 + s B A).
    /// </summary>
    public static void ApplyLora(TransformerModel model, IReadOnlyDictionary<string, Tensor> saved, Func<string, int, double> scaling)
    {
        using var _ = no_grad();
        foreach (var (module, layer) in model.LinearLayers())
        {
            if (!saved.TryGetValue($"{Prefix}{module}.lora_A.weight", out var a))
                continue;
            var b = saved[$"{Prefix}{module}.lora_B.weight"];
            var w = layer.weight + scaling(module, (int)a.shape[0]) * b.matmul(a);
            if (saved.TryGetValue($"{Prefix}{module}.lora_magnitude_vector", out var m))
                w = (m / w.pow(2).sum(1).sqrt()).unsqueeze(1) * w;
            layer.weight.copy_(w);
        }
    }

    /// <summary>
    /// IA3 with l: [1, in] (feed-forward: y = W (x * l) + b, so W[:, j] *= l_j) or
    /// l: [out, 1] (y = (W x + b) * l, so W[i, :] *= l_i and b_i *= l_i).
    /// </summary>
    public static void ApplyIa3(TransformerModel model, IReadOnlyDictionary<string, Tensor> saved)
    {
        using var _ = no_grad();
        foreach (var (module, layer) in model.LinearLayers())
        {
            if (!saved.TryGetValue($"{Prefix}{module}.ia3_l", out var l))
                continue;
            if (l.shape[0] == 1)
            {
                layer.weight.mul_(l);
                continue;
            }
            layer.weight.mul_(l);
            layer.bias?.mul_(l.flatten());
        }
    }

    /// <summary>Same shape and bit-for-bit the same values.</summary>
    public static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    /// <summary>Saved tensors under a base parameter's own name (modules_to_save copies, trained biases) replace it.</summary>
    public static void ApplyPlainTensors(TransformerModel model, IReadOnlyDictionary<string, Tensor> saved)
    {
        using var _ = no_grad();
        var parameters = model.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (key, tensor) in saved)
        {
            // PEFT keeps a wrapped layer's own parameters under base_layer; the plain model has them directly
            if (parameters.TryGetValue(key[Prefix.Length..].Replace(".base_layer.", ".", StringComparison.Ordinal), out var parameter))
                parameter.copy_(tensor);
        }
    }
}
