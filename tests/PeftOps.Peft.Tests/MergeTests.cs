using System.Reflection;
using PeftOps.Contracts;
using PeftOps.Peft.Format;
using PeftOps.TestSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Peft.Tests;

/// <summary>
/// Merge folds an adapter into the base weights in place without changing outputs, keeping no copy of them; unmerge
/// computes the base weights back (up to float rounding), as PEFT does.
/// </summary>
public sealed class MergeTests
{
    public static TheoryData<string, string> Methods => new()
    {
        { "lora", "tiny-bert" },
        { "rslora", "tiny-bert" },
        { "dora", "tiny-bert" },
        { "ia3", "tiny-bert" },
        { "lora", "tiny-llama" },
        { "rslora", "tiny-llama" },
        { "dora", "tiny-llama" },
        { "ia3", "tiny-llama" },
    };

    private static PeftAdapterConfig Config(string method, string baseFolder)
    {
        var bert = baseFolder == "tiny-bert";
        if (method == "ia3")
        {
            return new PeftAdapterConfig
            {
                Method = PeftMethod.Ia3,
                TargetModules = bert ? ["key", "value", "output.dense"] : ["k_proj", "v_proj", "down_proj"],
                FeedforwardModules = bert ? ["output.dense"] : ["down_proj"],
                ModulesToSave = bert ? ["classifier"] : [],
            };
        }
        return new PeftAdapterConfig
        {
            R = 4,
            LoraAlpha = 8,
            InitLoraWeights = PeftInit.None,
            UseRsLora = method == "rslora",
            UseDora = method == "dora",
            TargetModules = bert ? ["query", "value", "dense"] : ["q_proj", "v_proj", "o_proj", "gate_proj", "down_proj"],
            ModulesToSave = bert ? ["classifier"] : [],
        };
    }

    private static PeftModel Adapted(Modeling.Checkpoints.TransformerModel model, string method, string baseFolder)
    {
        var peft = new PeftModel(model);
        peft.AddAdapter("a", Config(method, baseFolder), new Generator(31));
        var generator = new Generator(32);
        using (no_grad())
        {
            // Move every trainable tensor off its initial value, so no method is the identity.
            foreach (var (name, p) in peft.TrainableParameters())
            {
                if (name.Contains("ia3_l", StringComparison.Ordinal) || name.Contains("magnitude", StringComparison.Ordinal))
                    p.mul_(1 + 0.3 * randn(p.shape, generator: generator));
                else
                    p.add_(0.05 * randn(p.shape, generator: generator));
            }
        }
        return peft;
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Merged_outputs_equal_unmerged_outputs(string method, string baseFolder)
    {
        using var model = Reference.Base(baseFolder);
        var peft = Adapted(model, method, baseFolder);
        var io = Reference.Io(baseFolder);
        var unmerged = Reference.Logits(model, io);
        var change = (unmerged - io["logits"]).abs().max().item<float>();
        Assert.True(change > 1e-4, $"the adapter must change the logits (changed by {change:E2})");

        peft.Merge();

        Assert.All(model.LinearLayers().Where(l => l.Layer.Adapters.Count > 0), l => Assert.Equal("a", l.Layer.MergedAdapter));
        TensorAssert.Close(unmerged, Reference.Logits(model, io), 1e-5, $"{method} merged logits");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Unmerge_restores_the_base_weights_up_to_float_rounding(string method, string baseFolder)
    {
        using var model = Reference.Base(baseFolder);
        var peft = Adapted(model, method, baseFolder);
        var before = model.LinearLayers().SelectMany(l => new[] { (l.Name + ".weight", l.Layer.weight), (l.Name + ".bias", l.Layer.bias) })
            .Where(p => p.Item2 is not null).ToDictionary(p => p.Item1, p => p.Item2!.detach().clone());
        var io = Reference.Io(baseFolder);
        var adapted = Reference.Logits(model, io);

        peft.Merge();
        Assert.Contains(model.LinearLayers(), l => !Reference.Same(l.Layer.weight, before[l.Name + ".weight"]));
        peft.Unmerge();

        foreach (var (name, layer) in model.LinearLayers())
        {
            // (W0 + d) - d rounds: a few ulp of |W0 + d| (<= 1 here), nowhere near the 1e-6 allowed
            TensorAssert.Close(before[name + ".weight"], layer.weight, 1e-6, $"{name}.weight after merge and unmerge");
            if (layer.bias is not null)
                TensorAssert.Close(before[name + ".bias"], layer.bias, 1e-6, $"{name}.bias after merge and unmerge");
            Assert.Null(layer.MergedAdapter);
        }
        TensorAssert.Close(adapted, Reference.Logits(model, io), 1e-5, "adapter logits after unmerge");
        peft.SetAdapter(null);
        TensorAssert.Close(io["logits"], Reference.Logits(model, io), 1e-5, "base logits after unmerge");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Merge_keeps_no_copy_of_the_weights_only_doras_row_norms(string method, string baseFolder)
    {
        using var model = Reference.Base(baseFolder);
        var peft = Adapted(model, method, baseFolder);
        var adapted = model.LinearLayers().Where(l => l.Layer.Adapters.Count > 0).ToList();
        Assert.Empty(KeptTensors(model));

        peft.Merge();

        var kept = KeptTensors(model);
        if (method == "dora")
        {
            // PEFT caches the same: the [out] row norm of W0 + s B A the merge divided by, which unmerging needs
            var doras = adapted.SelectMany(l => l.Layer.Adapters.Values.OfType<Methods.LoraAdapter>().Select(a => (l.Layer, Adapter: a))).ToList();
            Assert.NotEmpty(doras);
            Assert.Equal(doras.Count, kept.Count);
            Assert.All(doras, d => Assert.Equal([d.Layer.OutFeatures], d.Adapter.MergedNorm!.shape));
        }
        else
        {
            Assert.Empty(kept);
        }
        peft.Unmerge();
        Assert.Empty(KeptTensors(model));
    }

    /// <summary>
    /// Every tensor an adapter holds besides its parameters and registered modules: what a merge kept to unmerge with.
    /// Read from the adapters' fields, so a copy kept under any name is seen.
    /// </summary>
    private static List<(string Where, long[] Shape)> KeptTensors(Modeling.Checkpoints.TransformerModel model) =>
    [
        .. from l in model.LinearLayers()
           from adapter in l.Layer.Adapters.Values
           from field in adapter.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
           where typeof(Tensor).IsAssignableFrom(field.FieldType) && !typeof(TorchSharp.Modules.Parameter).IsAssignableFrom(field.FieldType)
           let tensor = (Tensor?)field.GetValue(adapter)
           where tensor is not null && !tensor.IsInvalid
           select ($"{l.Name}.{field.Name}", tensor.shape),
    ];

    [Fact]
    public void An_ia3_vector_with_a_zero_entry_is_refused_and_nothing_is_merged()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = Adapted(model, "ia3", "tiny-bert");
        var (name, vector) = peft.TrainableParameters().First(p => p.Name.Contains("layer.1.attention.self.value", StringComparison.Ordinal));
        using (no_grad())
        {
            vector[3, 0] = tensor(0f);
            vector[7, 0] = tensor(0f);
        }
        var weights = model.LinearLayers().ToDictionary(l => l.Name, l => l.Layer.weight.detach().clone());

        var e = Assert.Throws<InputException>(peft.Merge);

        Assert.Equal("adapter 'a' cannot be merged into bert.encoder.layer.1.attention.self.value: its ia3_l vector has 2 zero entries, so the merge could not be undone exactly", e.Message);
        Assert.Contains("layer.1.attention.self.value.ia3_l", name, StringComparison.Ordinal);
        Assert.All(model.LinearLayers(), l =>
        {
            Assert.Null(l.Layer.MergedAdapter);
            Assert.True(Reference.Same(l.Layer.weight, weights[l.Name]), l.Name);
        });
    }
}
