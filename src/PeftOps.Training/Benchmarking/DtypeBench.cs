using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Training.Benchmarking;

/// <summary>
/// What holding a decoder's base in a lower dtype does to its logits: the checkpoint is loaded once in float32 and once
/// in <paramref name="dtype"/>, both run on the same seeded random batch, and the logits are compared
/// (max absolute difference, share of positions whose argmax agrees), beside the weights' bytes in each dtype.
/// </summary>
public static class DtypeBench
{
    public static DtypeFigures Run(string checkpoint, int batch, int tokens, ScalarType dtype, BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var device = TorchRuntime.ResolveDevice(settings.Device);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (reference, float32Bytes, ids) = Logits(checkpoint, batch, tokens, ScalarType.Float32, device, settings.Seed, null);
        var (actual, bytes, _) = Logits(checkpoint, batch, tokens, dtype, device, settings.Seed, ids);
        var diff = (actual - reference).abs();
        var agreement = actual.argmax(-1).eq(reference.argmax(-1)).to(ScalarType.Float32).mean().item<float>();
        return new DtypeFigures(BaseDtype.Name(dtype), batch, tokens, diff.max().item<float>(), reference.abs().max().item<float>(),
            agreement, batch * tokens, bytes, float32Bytes);
    }

    // float32 logits of the checkpoint held in dtype on one batch (seeded random ids unless given), and its weights' bytes
    private static (Tensor Logits, long Bytes, Tensor Ids) Logits(string checkpoint, int batch, int tokens, ScalarType dtype, Device device, long seed, Tensor? ids)
    {
        using var model = ModelLoader.Load(checkpoint, new ModelLoadOptions { Device = device, Seed = seed, Dtype = dtype });
        var llama = model.Llama ?? throw new Contracts.InputException($"{checkpoint}: bench --model needs a decoder (this is {model.Architecture})");
        ids ??= randint(llama.VocabSize, [batch, tokens], generator: new Generator((ulong)seed), dtype: ScalarType.Int64);
        var bytes = model.ParameterCount * model.Module.parameters().First().element_size();
        var logits = model.Logits(ids.to(device), ones_like(ids).to(device)).to(ScalarType.Float32).cpu();
        return (logits, bytes, ids);
    }
}

/// <param name="MaxAbsDiff">largest |logit(dtype) - logit(float32)| over every position and vocabulary entry.</param>
/// <param name="ArgmaxAgreement">share of positions whose most likely next token is the same in both.</param>
public sealed record DtypeFigures(string Dtype, int Batch, int Tokens, double MaxAbsDiff, double MaxAbsLogit, double ArgmaxAgreement, int Positions,
    long BaseBytes, long Float32Bytes);
