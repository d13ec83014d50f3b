using System.Text.Json.Nodes;
using PeftOps.Contracts;
using PeftOps.Modeling.Layers;
using PeftOps.Peft.Format;
using PeftOps.Peft.Methods;
using PeftOps.TestSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Peft.Tests;

/// <summary>
/// LoRA options beyond the PEFT fixtures, each checked against <see cref="Reference"/>: base weights edited
/// from the saved raw tensors with the scaling the option implies, within 1e-5.
/// </summary>
public sealed class LoraOptionsTests
{
    internal const string Query0 = "bert.encoder.layer.0.attention.self.query";

    internal static PeftAdapterConfig Lora(params string[] targets) => new()
    {
        R = 4,
        LoraAlpha = 8,
        TargetModules = targets,
        InitLoraWeights = PeftInit.None,
        TaskType = "SEQ_CLS",
    };

    private static void AssertMatchesReference(PeftModel peft, string baseFolder, Action<Modeling.Checkpoints.TransformerModel, Dictionary<string, Tensor>> edit)
    {
        using var dir = new TempDirectory();
        var saved = Reference.Saved(peft, dir.Path);
        var io = Reference.Io(baseFolder);
        using var reference = Reference.Base(baseFolder);
        edit(reference, saved);
        var expected = Reference.Logits(reference, io);
        TensorAssert.Close(expected, Reference.Logits(peft.Base, io), 1e-5, "adapted logits vs edited base weights");
        var change = (expected - io["logits"]).abs().max().item<float>();
        Assert.True(change > 1e-4, $"the adapter must change the logits for this check to mean anything (changed by {change:E2})");
    }

    [Fact]
    public void Rslora_scales_the_update_by_alpha_over_the_square_root_of_r()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);
        peft.AddAdapter("a", Lora("query", "value") with { UseRsLora = true }, new Generator(1));

        AssertMatchesReference(peft, "tiny-bert", (m, saved) => Reference.ApplyLora(m, saved, (_, r) => 8 / Math.Sqrt(r)));
        Assert.All(model.LinearLayers().Where(l => l.Layer.Adapters.Count > 0), l => Assert.Equal(4.0, ((LoraAdapter)l.Layer.Adapters["a"]).Scaling));
    }

    [Fact]
    public void Plain_lora_scales_the_update_by_alpha_over_r()
    {
        using var model = Reference.Base("tiny-llama");
        var peft = new PeftModel(model);
        peft.AddAdapter("a", Lora("q_proj", "down_proj") with { R = 16, LoraAlpha = 4, TaskType = "CAUSAL_LM" }, new Generator(2));

        AssertMatchesReference(peft, "tiny-llama", (m, saved) => Reference.ApplyLora(m, saved, (_, r) => 4.0 / r));
    }

    [Fact]
    public void Gaussian_init_draws_A_from_a_normal_with_std_one_over_r_and_sets_B_to_zero()
    {
        using var model = Reference.Base("tiny-llama");
        var peft = new PeftModel(model);
        peft.AddAdapter("a", Lora("down_proj") with { R = 64, InitLoraWeights = PeftInit.Gaussian, TaskType = "CAUSAL_LM" }, new Generator(3));

        var a = cat(peft.TrainableParameters().Where(p => p.Name.Contains("lora_A", StringComparison.Ordinal)).Select(p => p.Parameter.detach().flatten()).ToList(), 0);
        Assert.Equal(2 * 64 * 128, a.numel());
        var std = a.std().item<float>();
        Assert.InRange(std, 0.97 / 64, 1.03 / 64);
        Assert.InRange(a.mean().item<float>(), -4.0 / 64 / Math.Sqrt(a.numel()), 4.0 / 64 / Math.Sqrt(a.numel()));
        Assert.All(peft.TrainableParameters().Where(p => p.Name.Contains("lora_B", StringComparison.Ordinal)), p => Assert.Equal(0, p.Parameter.count_nonzero().item<long>()));
        var io = Reference.Io("tiny-llama");
        TensorAssert.Close(io["logits"], Reference.Logits(model, io), 1e-5, "logits with B = 0");
    }

    [Fact]
    public void Default_init_keeps_the_base_output_and_draws_A_within_the_kaiming_bound()
    {
        using var model = Reference.Base("tiny-llama");
        var peft = new PeftModel(model);
        peft.AddAdapter("a", Lora("down_proj", "q_proj") with { R = 32, InitLoraWeights = PeftInit.Default, TaskType = "CAUSAL_LM" }, new Generator(4));

        foreach (var (module, layer) in model.LinearLayers().Where(l => l.Layer.Adapters.Count > 0))
        {
            var lora = (LoraAdapter)layer.Adapters["a"];
            var bound = 1 / Math.Sqrt(layer.InFeatures);
            var maxA = lora.A.abs().max().item<float>();
            Assert.True(maxA <= bound && maxA > 0.9 * bound, $"{module}: max |A| = {maxA}, expected in (0.9, 1] x {bound}");
            Assert.Equal(0, lora.B.count_nonzero().item<long>());
        }
        var io = Reference.Io("tiny-llama");
        TensorAssert.Close(io["logits"], Reference.Logits(model, io), 1e-5, "logits with B = 0");
    }

    [Fact]
    public void Init_none_draws_both_matrices_as_a_linear_layer_would()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);
        peft.AddAdapter("a", Lora("query", "value", "intermediate.dense"), new Generator(5));

        foreach (var (module, layer) in model.LinearLayers().Where(l => l.Layer.Adapters.Count > 0))
        {
            var lora = (LoraAdapter)layer.Adapters["a"];
            Assert.InRange(lora.A.abs().max().item<float>(), 0.5 / Math.Sqrt(layer.InFeatures), 1 / Math.Sqrt(layer.InFeatures));
            Assert.InRange(lora.B.abs().max().item<float>(), 0.5 / Math.Sqrt(4), 1 / Math.Sqrt(4));
            Assert.Equal(lora.A.numel() + lora.B.numel(), lora.A.count_nonzero().item<long>() + lora.B.count_nonzero().item<long>());
        }
        AssertMatchesReference(peft, "tiny-bert", (m, saved) => Reference.ApplyLora(m, saved, (_, r) => 8.0 / r));
    }

    [Fact]
    public void The_same_seed_gives_the_same_adapter()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);
        peft.AddAdapter("a", Lora("query"), new Generator(6));
        peft.AddAdapter("b", Lora("query"), new Generator(6));
        peft.AddAdapter("c", Lora("query"), new Generator(7));

        var layer = model.LinearLayers().Single(l => l.Name == Query0).Layer;
        Assert.True(Reference.Same(((LoraAdapter)layer.Adapters["a"]).A, ((LoraAdapter)layer.Adapters["b"]).A));
        Assert.False(Reference.Same(((LoraAdapter)layer.Adapters["a"]).A, ((LoraAdapter)layer.Adapters["c"]).A));
    }

    [Fact]
    public void Dropout_in_train_mode_leaves_the_base_path_alone_when_B_is_zero()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);
        peft.AddAdapter("a", Lora("query", "value", "dense") with { LoraDropout = 0.5, InitLoraWeights = PeftInit.Default }, new Generator(10));
        model.Module.train();

        var io = Reference.Io("tiny-bert");
        manual_seed(11);
        TensorAssert.Close(io["logits"], Reference.Logits(model, io), 1e-5, "train-mode logits with B = 0");
    }

    [Fact]
    public void Rank_and_alpha_patterns_give_each_module_its_own_shape_and_scaling()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);
        var config = Lora("query", "value") with
        {
            RankPattern = new Dictionary<string, int> { ["layer.0.attention.self.query"] = 2, ["value"] = 6 },
            AlphaPattern = new Dictionary<string, double> { ["value"] = 3 },
        };
        peft.AddAdapter("a", config, new Generator(15));

        int Rank(string module) => module.EndsWith("value", StringComparison.Ordinal) ? 6 : module == Query0 ? 2 : 4;
        double Alpha(string module) => module.EndsWith("value", StringComparison.Ordinal) ? 3 : 8;
        var adapted = model.LinearLayers().Where(l => l.Layer.Adapters.Count > 0).ToList();
        Assert.Equal(4, adapted.Count);
        foreach (var (module, layer) in adapted)
        {
            var lora = (LoraAdapter)layer.Adapters["a"];
            Assert.Equal(new long[] { Rank(module), 32 }, lora.A.shape);
            Assert.Equal(new long[] { 32, Rank(module) }, lora.B.shape);
        }
        AssertMatchesReference(peft, "tiny-bert", (m, saved) =>
        {
            Assert.All(adapted, l => Assert.Equal(Rank(l.Name), saved[$"{Reference.Prefix}{l.Name}.lora_A.weight"].shape[0]));
            Reference.ApplyLora(m, saved, (module, r) => Alpha(module) / r);
        });
    }

    [Fact]
    public void Layers_to_transform_puts_adapters_only_on_the_listed_layers()
    {
        using var model = Reference.Base("tiny-llama");
        var peft = new PeftModel(model);
        peft.AddAdapter("a", Lora("q_proj", "v_proj", "up_proj") with { LayersToTransform = [1], TaskType = "CAUSAL_LM" }, new Generator(16));

        Assert.Equal(
            ["model.layers.1.mlp.up_proj", "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj"],
            model.LinearLayers().Where(l => l.Layer.Adapters.Count > 0).Select(l => l.Name).Order(StringComparer.Ordinal));
        AssertMatchesReference(peft, "tiny-llama", (m, saved) =>
        {
            Assert.All(saved.Keys, k => Assert.StartsWith($"{Reference.Prefix}model.layers.1.", k));
            Reference.ApplyLora(m, saved, (_, r) => 8.0 / r);
        });
    }

    [Fact]
    public void A_string_target_is_a_regular_expression_matched_against_the_whole_module_name()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);
        peft.AddAdapter("a", Lora() with { TargetModulesRegex = @".*layer\.0\.attention\.self\.(query|key)|.*\.intermediate\.dense" }, new Generator(17));

        Assert.Equal(
            ["bert.encoder.layer.0.attention.self.key", Query0, "bert.encoder.layer.0.intermediate.dense", "bert.encoder.layer.1.intermediate.dense"],
            model.LinearLayers().Where(l => l.Layer.Adapters.Count > 0).Select(l => l.Name).Order(StringComparer.Ordinal));
        AssertMatchesReference(peft, "tiny-bert", (m, saved) => Reference.ApplyLora(m, saved, (_, r) => 8.0 / r));
        using var dir = new TempDirectory();
        peft.SaveAdapter(dir.Path);
        Assert.Contains(@"""target_modules"": "".*layer\\.0\\.attention\\.self\\.(query|key)|.*\\.intermediate\\.dense""", File.ReadAllText(dir.Combine("adapter_config.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_regular_expression_must_match_the_whole_name()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);

        var e = Assert.Throws<InputException>(() => peft.AddAdapter("a", Lora() with { TargetModulesRegex = "query" }, new Generator(18)));

        Assert.Contains("target_modules [query] match no linear layer", e.Message, StringComparison.Ordinal);
        Assert.Empty(peft.Adapters);
    }

    [Theory]
    [InlineData("tiny-bert", "classifier", "attention.output.dense|bert.pooler.dense|intermediate.dense|key|output.dense|query|value")]
    [InlineData("tiny-llama", "lm_head", "down_proj|gate_proj|k_proj|o_proj|q_proj|up_proj|v_proj")]
    public void All_linear_targets_every_linear_layer_but_the_output_head_and_saves_the_resolved_names(string baseFolder, string head, string expectedModules)
    {
        using var model = Reference.Base(baseFolder);
        var peft = new PeftModel(model);
        peft.AddAdapter("a", Lora() with { AllLinear = true, TaskType = null }, new Generator(19));

        var linear = model.LinearLayers().ToList();
        Assert.All(linear, l => Assert.Equal(l.Name != head, l.Layer.Adapters.ContainsKey("a")));
        Assert.All(linear.Where(l => l.Name != head), l => Assert.Matches($"(^|\\.)({expectedModules})$", l.Name));
        using var dir = new TempDirectory();
        peft.SaveAdapter(dir.Path);
        var (config, _) = Format.PeftConfigFile.Read(dir.Combine("adapter_config.json"));
        Assert.Null(config.TargetModulesRegex);
        Assert.Equal(linear.Where(l => l.Name != head).Select(l => l.Name).Order(StringComparer.Ordinal), config.TargetModules);
        AssertMatchesReference(peft, baseFolder, (m, saved) => Reference.ApplyLora(m, saved, (_, r) => 8.0 / r));

        using var reloaded = Reference.Base(baseFolder);
        var again = new PeftModel(reloaded);
        again.LoadAdapter(dir.Path, "a");
        Assert.Equal(linear.Select(l => l.Layer.Adapters.Count), reloaded.LinearLayers().Select(l => l.Layer.Adapters.Count));

        // A config that still says all-linear (hand-written, or saved before PEFT wrote the resolved names) is read as
        // all-linear, not as a regular expression that would match no module.
        var json = JsonNode.Parse(File.ReadAllText(dir.Combine("adapter_config.json")))!.AsObject();
        json["target_modules"] = "all-linear";
        File.WriteAllText(dir.Combine("adapter_config.json"), PythonJson.Serialize(json));
        var (unresolved, _) = PeftConfigFile.Read(dir.Combine("adapter_config.json"));
        Assert.True(unresolved.AllLinear);
        Assert.Null(unresolved.TargetModulesRegex);
        using var third = Reference.Base(baseFolder);
        new PeftModel(third).LoadAdapter(dir.Path, "a");
        Assert.Equal(linear.Select(l => l.Layer.Adapters.Count), third.LinearLayers().Select(l => l.Layer.Adapters.Count));
    }

    [Fact]
    public void All_linear_with_layers_to_transform_targets_every_linear_layer_of_the_listed_layers()
    {
        using var model = Reference.Base("tiny-llama");
        var peft = new PeftModel(model);
        peft.AddAdapter("a", Lora() with { AllLinear = true, LayersToTransform = [0], TaskType = "CAUSAL_LM" }, new Generator(27));

        Assert.Equal(
            [
                "model.layers.0.mlp.down_proj", "model.layers.0.mlp.gate_proj", "model.layers.0.mlp.up_proj",
                "model.layers.0.self_attn.k_proj", "model.layers.0.self_attn.o_proj", "model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj",
            ],
            model.LinearLayers().Where(l => l.Layer.Adapters.Count > 0).Select(l => l.Name).Order(StringComparer.Ordinal));
        AssertMatchesReference(peft, "tiny-llama", (m, saved) => Reference.ApplyLora(m, saved, (_, r) => 8.0 / r));
    }

    [Fact]
    public void Ia3_scales_the_input_of_feedforward_modules_and_the_output_of_the_others()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);
        var config = new PeftAdapterConfig
        {
            Method = PeftMethod.Ia3,
            TargetModules = ["key", "intermediate.dense", "output.dense"],
            FeedforwardModules = ["intermediate.dense"],
            TaskType = "SEQ_CLS",
        };
        peft.AddAdapter("a", config, new Generator(20));
        var io = Reference.Io("tiny-bert");
        TensorAssert.Close(io["logits"], Reference.Logits(model, io), 1e-6, "IA3 starts as the identity");

        var generator = new Generator(21);
        using (no_grad())
        {
            foreach (var (_, p) in peft.TrainableParameters())
                p.copy_(1 + 0.5 * randn(p.shape, generator: generator));
        }
        foreach (var (module, layer) in model.LinearLayers().Where(l => l.Layer.Adapters.Count > 0))
        {
            var ia3 = (Ia3Adapter)layer.Adapters["a"];
            var feedforward = module.EndsWith("intermediate.dense", StringComparison.Ordinal);
            Assert.Equal(feedforward, ia3.IsFeedforward);
            Assert.Equal(feedforward ? new[] { 1, layer.InFeatures } : new[] { layer.OutFeatures, 1 }, ia3.Vector.shape);
        }
        AssertMatchesReference(peft, "tiny-bert", (m, saved) => Reference.ApplyIa3(m, saved));
    }

    [Fact]
    public void Bias_all_trains_every_bias_of_the_base_model_and_saves_it_under_peft_keys()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);
        peft.AddAdapter("a", Lora("query") with { Bias = PeftBias.All }, new Generator(22));

        // PEFT's keys: a wrapped layer's bias is under its base_layer (save_and_load.py keeps every key holding "bias")
        var biases = model.Module.named_parameters().Where(p => p.name.EndsWith(".bias", StringComparison.Ordinal))
            .Select(p => p.name.EndsWith("query.bias", StringComparison.Ordinal) ? p.name.Replace("query.bias", "query.base_layer.bias", StringComparison.Ordinal) : p.name).ToList();
        Assert.Contains("bert.embeddings.LayerNorm.bias", biases);
        Assert.Contains("bert.encoder.layer.0.attention.self.query.base_layer.bias", biases);
        var trainable = peft.TrainableParameters();
        Assert.Equal(biases.Select(b => Reference.Prefix + b).Order(StringComparer.Ordinal),
            trainable.Where(t => t.Name.EndsWith(".bias", StringComparison.Ordinal)).Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(model.Module.named_parameters().Where(p => biases.Contains(p.name)), p => Assert.True(p.parameter.requires_grad, p.name));
        ShiftBiases(trainable);

        AssertBiasesRoundTrip(peft, "tiny-bert", biases);
    }

    [Fact]
    public void Bias_lora_only_trains_the_biases_of_the_targeted_layers()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);
        peft.AddAdapter("a", Lora("query", "value") with { Bias = PeftBias.LoraOnly }, new Generator(23));

        var targeted = model.LinearLayers().Where(l => l.Layer.Adapters.Count > 0).Select(l => l.Name + ".base_layer.bias").ToList();
        Assert.Equal(4, targeted.Count);
        var trainable = peft.TrainableParameters();
        Assert.Equal(targeted.Select(b => Reference.Prefix + b).Order(StringComparer.Ordinal),
            trainable.Where(t => t.Name.EndsWith(".bias", StringComparison.Ordinal)).Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(model.Module.named_parameters().Where(p => p.parameter.requires_grad),
            p => Assert.Contains(trainable, t => ReferenceEquals(t.Parameter, p.parameter)));
        ShiftBiases(trainable);

        AssertBiasesRoundTrip(peft, "tiny-bert", targeted);
    }

    [Fact]
    public void Bias_all_with_modules_to_save_saves_the_head_bias_once_from_its_copy()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);
        peft.AddAdapter("a", Lora("query") with { Bias = PeftBias.All, ModulesToSave = ["classifier"] }, new Generator(26));

        var trainable = peft.TrainableParameters();
        Assert.Equal(trainable.Count, trainable.Select(t => t.Name).Distinct().Count());
        Assert.DoesNotContain($"{Reference.Prefix}classifier.bias", trainable.Select(t => t.Name));
        ShiftBiases(trainable);

        var biases = model.Module.named_parameters()
            .Where(p => p.name.EndsWith(".bias", StringComparison.Ordinal) && !p.name.StartsWith("classifier.", StringComparison.Ordinal))
            .Select(p => p.name.Replace("query.bias", "query.base_layer.bias", StringComparison.Ordinal)).Append("classifier.bias").ToList();
        AssertBiasesRoundTrip(peft, "tiny-bert", biases);
    }

    [Fact]
    public void Modules_to_save_trains_a_copy_of_the_head_and_leaves_the_base_head_alone()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);
        peft.AddAdapter("a", Lora("query") with { ModulesToSave = ["classifier"] }, new Generator(24));
        var head = model.LinearLayers().Single(l => l.Name == "classifier").Layer;
        var original = head.weight.detach().clone();

        var copies = peft.TrainableParameters().Where(t => t.Name.Contains("classifier", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [$"{Reference.Prefix}classifier.modules_to_save.a.bias", $"{Reference.Prefix}classifier.modules_to_save.a.weight"],
            copies.Select(c => c.Name).Order(StringComparer.Ordinal));
        using (no_grad())
        {
            foreach (var (_, p) in copies)
                p.add_(0.25);
        }
        Assert.False(head.weight.requires_grad);
        Assert.True(Reference.Same(head.weight, original));

        AssertMatchesReference(peft, "tiny-bert", (m, saved) =>
        {
            Assert.Contains($"{Reference.Prefix}classifier.weight", saved.Keys);
            Assert.Contains($"{Reference.Prefix}classifier.bias", saved.Keys);
            Reference.ApplyLora(m, saved, (_, r) => 8.0 / r);
            Reference.ApplyPlainTensors(m, saved);
        });
        peft.SetAdapter(null);
        var io = Reference.Io("tiny-bert");
        TensorAssert.Close(io["logits"], Reference.Logits(model, io), 1e-6, "base logits with no adapter active");
    }

    [Fact]
    public void Trained_biases_saved_under_plain_module_keys_by_earlier_peftops_still_load()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);
        peft.AddAdapter("a", Lora("query", "value") with { Bias = PeftBias.LoraOnly }, new Generator(27));
        ShiftBiases(peft.TrainableParameters());
        using var dir = new TempDirectory();
        peft.SaveAdapter(dir.Path);
        RewriteWeights(dir.Path, key => key.Replace(".base_layer.bias", ".bias", StringComparison.Ordinal));

        using var fresh = Reference.Base("tiny-bert");
        var (_, warnings) = new PeftModel(fresh).LoadAdapter(dir.Path, "a");

        Assert.Empty(warnings);
        var io = Reference.Io("tiny-bert");
        TensorAssert.Close(Reference.Logits(peft.Base, io), Reference.Logits(fresh, io), 1e-6, "logits after loading plain bias keys");
    }

    [Fact]
    public void A_lora_only_adapter_saved_without_its_biases_as_peft_did_loads_with_the_base_biases_and_a_warning()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);
        peft.AddAdapter("a", Lora("query") with { Bias = PeftBias.LoraOnly }, new Generator(28));
        using var dir = new TempDirectory();
        peft.SaveAdapter(dir.Path);
        RewriteWeights(dir.Path, key => key.EndsWith(".bias", StringComparison.Ordinal) ? null : key);

        using var fresh = Reference.Base("tiny-bert");
        var original = fresh.LinearLayers().Single(l => l.Name == "bert.encoder.layer.0.attention.self.query").Layer.bias!.detach().clone();
        var (_, warnings) = new PeftModel(fresh).LoadAdapter(dir.Path, "a");

        var warning = Assert.Single(warnings);
        Assert.Contains("no trained bias for bert.encoder.layer.0.attention.self.query.base_layer.bias", warning, StringComparison.Ordinal);
        Assert.True(Reference.Same(fresh.LinearLayers().Single(l => l.Name == "bert.encoder.layer.0.attention.self.query").Layer.bias!, original));
    }

    [Fact]
    public void A_bias_all_adapter_missing_a_bias_is_refused_naming_the_key()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);
        peft.AddAdapter("a", Lora("query") with { Bias = PeftBias.All }, new Generator(29));
        using var dir = new TempDirectory();
        peft.SaveAdapter(dir.Path);
        RewriteWeights(dir.Path, key => key.EndsWith("embeddings.LayerNorm.bias", StringComparison.Ordinal) ? null : key);

        using var fresh = Reference.Base("tiny-bert");
        var again = new PeftModel(fresh);
        var error = Assert.Throws<InputException>(() => again.LoadAdapter(dir.Path, "a"));

        Assert.Equal($"{Path.Combine(dir.Path, "adapter_model.safetensors")}: tensor 'base_model.model.bert.embeddings.LayerNorm.bias' is missing (the adapter config trains that bias: bias all)", error.Message);
        Assert.Empty(again.Adapters);
    }

    // Rewrites adapter_model.safetensors with keys renamed (null drops the tensor), as another writer might have saved it.
    private static void RewriteWeights(string directory, Func<string, string?> rename)
    {
        var path = Path.Combine(directory, "adapter_model.safetensors");
        var tensors = PeftOps.Modeling.Safetensors.SafetensorsTorch.Load(path);
        var kept = tensors.Select(kv => (Key: rename(kv.Key), kv.Value)).Where(t => t.Key is not null).Select(t => (t.Key!, t.Value)).ToList();
        PeftOps.Modeling.Safetensors.SafetensorsTorch.Save(path, kept, new Dictionary<string, string> { ["format"] = "pt" });
        foreach (var t in tensors.Values)
            t.Dispose();
    }

    private static void ShiftBiases(IEnumerable<(string Name, TorchSharp.Modules.Parameter Parameter)> trainable)
    {
        var generator = new Generator(25);
        using var _ = no_grad();
        foreach (var (_, p) in trainable.Where(t => t.Name.EndsWith(".bias", StringComparison.Ordinal)))
            p.add_(0.1 * randn(p.shape, generator: generator));
    }

    private static void AssertBiasesRoundTrip(PeftModel peft, string baseFolder, IReadOnlyList<string> biases)
    {
        using var dir = new TempDirectory();
        var saved = Reference.Saved(peft, dir.Path);
        Assert.Equal(biases.Select(b => Reference.Prefix + b).Order(StringComparer.Ordinal),
            saved.Keys.Where(k => k.EndsWith(".bias", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        AssertMatchesReference(peft, baseFolder, (m, s) =>
        {
            Reference.ApplyLora(m, s, (_, r) => 8.0 / r);
            Reference.ApplyPlainTensors(m, s);
        });

        using var fresh = Reference.Base(baseFolder);
        var again = new PeftModel(fresh);
        again.LoadAdapter(dir.Path, "a");
        var io = Reference.Io(baseFolder);
        TensorAssert.Close(Reference.Logits(peft.Base, io), Reference.Logits(fresh, io), 1e-6, "logits after reloading the saved adapter");
    }
}
