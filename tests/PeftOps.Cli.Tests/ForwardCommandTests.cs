using PeftOps.Modeling.Safetensors;
using PeftOps.TestSupport;
using static TorchSharp.torch;

namespace PeftOps.Cli.Tests;

/// <summary><c>peftops forward</c> on the Hugging Face PEFT fixtures (tests/data/hf-peft): the numbers PEFT computed.</summary>
[Collection(CliCollection.Name)]
public sealed class ForwardCommandTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private static string Fixture(params string[] parts) => Path.Combine([TestPaths.HfPeftFixtures, .. parts]);

    private static Dictionary<string, Tensor> Expected(string adapterCase) => SafetensorsTorch.Load(Fixture(adapterCase, "expected.safetensors"));

    private string Out => dir.Combine("out.safetensors");

    private async Task<Dictionary<string, Tensor>> Forward(params string[] args)
    {
        var result = await PeftOpsRunner.InProcess(["forward", .. args, "--out", Out]);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.StartsWith($"wrote {Out}: logits [", result.Stdout, StringComparison.Ordinal);
        return SafetensorsTorch.Load(Out);
    }

    [Fact]
    public async Task Base_bert_logits_match_transformers_and_the_loss_is_cross_entropy_on_the_labels()
    {
        var output = await Forward("--base", Fixture("tiny-bert"), "--inputs", Fixture("tiny-bert", "io.safetensors"));

        var io = SafetensorsTorch.Load(Fixture("tiny-bert", "io.safetensors"));
        Assert.Equal(["logits", "loss"], output.Keys.Order(StringComparer.Ordinal));
        TensorAssert.Close(io["logits"], output["logits"], 1e-5, "logits");
        TensorAssert.Close(nn.functional.cross_entropy(io["logits"], io["labels"]).reshape(1), output["loss"], 1e-5, "loss");
    }

    [Theory]
    [InlineData("bert-lora", "tiny-bert")]
    [InlineData("bert-dora", "tiny-bert")]
    [InlineData("bert-ia3", "tiny-bert")]
    [InlineData("llama-lora", "tiny-llama")]
    public async Task An_adapter_gives_peft_logits_and_loss(string adapterCase, string baseFolder)
    {
        var output = await Forward("--base", Fixture(baseFolder), "--adapter", Fixture(adapterCase), "--inputs", Fixture(baseFolder, "io.safetensors"));

        var expected = Expected(adapterCase);
        TensorAssert.Close(expected["logits"], output["logits"], 1e-5, "logits");
        TensorAssert.Close(expected["loss"], output["loss"], 1e-5, "loss");
    }

    [Theory]
    [InlineData("bert-lora", "tiny-bert")]
    [InlineData("llama-lora", "tiny-llama")]
    public async Task Merge_gives_peft_merged_logits(string adapterCase, string baseFolder)
    {
        var output = await Forward("--base", Fixture(baseFolder), "--adapter", Fixture(adapterCase), "--merge", "--inputs", Fixture(baseFolder, "io.safetensors"));

        TensorAssert.Close(Expected(adapterCase)["merged_logits"], output["logits"], 1e-5, "merged logits");
    }

    [Fact]
    public async Task An_adapter_with_lora_dropout_runs_without_dropout_so_two_runs_agree_and_match_peft_eval_mode()
    {
        var adapter = dir.Combine("llama-lora-dropout");
        Directory.CreateDirectory(adapter);
        File.Copy(Fixture("llama-lora", "adapter_model.safetensors"), Path.Combine(adapter, "adapter_model.safetensors"));
        var config = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Fixture("llama-lora", "adapter_config.json")))!;
        config["lora_dropout"] = 0.1;
        await File.WriteAllTextAsync(Path.Combine(adapter, "adapter_config.json"), config.ToJsonString());

        var first = await Forward("--base", Fixture("tiny-llama"), "--adapter", adapter, "--inputs", Fixture("tiny-llama", "io.safetensors"));
        var second = await Forward("--base", Fixture("tiny-llama"), "--adapter", adapter, "--inputs", Fixture("tiny-llama", "io.safetensors"));

        Assert.True(first["logits"].eq(second["logits"]).all().item<bool>(), "two runs of forward gave different logits");
        TensorAssert.Close(Expected("llama-lora")["logits"], first["logits"], 1e-5, "logits");
    }

    [Fact]
    public async Task A_causal_lm_without_labels_gets_the_next_token_loss_over_its_attention_mask()
    {
        var output = await Forward("--base", Fixture("tiny-llama"), "--inputs", Fixture("tiny-llama", "io.safetensors"));

        var io = SafetensorsTorch.Load(Fixture("tiny-llama", "io.safetensors"));
        TensorAssert.Close(io["logits"], output["logits"], 1e-5, "logits");
        // transformers: labels = input_ids with padding set to -100; position t predicts token t + 1
        var labels = io["input_ids"].masked_fill(io["attention_mask"].eq(0), -100);
        var expected = nn.functional.cross_entropy(io["logits"].narrow(1, 0, 11).reshape(-1, 512), labels.narrow(1, 1, 11).reshape(-1), ignore_index: -100);
        TensorAssert.Close(expected.reshape(1), output["loss"], 1e-5, "loss");
    }

    [Fact]
    public async Task A_causal_lm_uses_the_labels_it_is_given()
    {
        var io = SafetensorsTorch.Load(Fixture("tiny-llama", "io.safetensors"));
        var labels = io["input_ids"].clone();
        labels[0].narrow(0, 0, 6).fill_(-100);
        var inputs = dir.Combine("inputs.safetensors");
        SafetensorsTorch.Save(inputs, [("input_ids", io["input_ids"]), ("attention_mask", io["attention_mask"]), ("labels", labels)]);

        var output = await Forward("--base", Fixture("tiny-llama"), "--inputs", inputs);

        var expected = nn.functional.cross_entropy(io["logits"].narrow(1, 0, 11).reshape(-1, 512), labels.narrow(1, 1, 11).reshape(-1), ignore_index: -100);
        TensorAssert.Close(expected.reshape(1), output["loss"], 1e-5, "loss with the given labels");
    }

    [Fact]
    public async Task Inputs_without_labels_for_a_classifier_give_logits_only()
    {
        var io = SafetensorsTorch.Load(Fixture("tiny-bert", "io.safetensors"));
        var inputs = dir.Combine("inputs.safetensors");
        SafetensorsTorch.Save(inputs, [("input_ids", io["input_ids"].to(ScalarType.Int32)), ("attention_mask", io["attention_mask"])]);

        var output = await Forward("--base", Fixture("tiny-bert"), "--inputs", inputs);

        Assert.Equal(["logits"], output.Keys);
        TensorAssert.Close(io["logits"], output["logits"], 1e-5, "logits");
    }

    public static TheoryData<string, string> BadInputFiles => new()
    {
        { "no-ids", "tensor 'input_ids' is missing (expected integers [batch, tokens])" },
        { "float-ids", "tensor 'input_ids' has dtype Float32 (expected an integer type, e.g. int64)" },
        { "ids-1d", "tensor 'input_ids' has shape [30] (expected [batch, tokens])" },
        { "ids-out-of-vocab", "tensor 'input_ids' holds ids from 0 to 512 (expected 0 to 511, the model's vocabulary)" },
        { "mask-shape", "tensor 'attention_mask' has shape [3, 9] but input_ids has [3, 10]" },
        { "no-mask", "tensor 'attention_mask' is missing (expected integers [batch, tokens], 1 for tokens and 0 for padding)" },
        { "labels-shape", "tensor 'labels' has shape [2] (expected [3] for BertSequenceClassifier)" },
        { "labels-range", "tensor 'labels' holds classes from 0 to 5 (expected 0 to 4)" },
    };

    [Theory]
    [MemberData(nameof(BadInputFiles))]
    public async Task A_bad_inputs_file_exits_2_naming_the_tensor_and_writes_nothing(string kind, string message)
    {
        var io = SafetensorsTorch.Load(Fixture("tiny-bert", "io.safetensors"));
        var (ids, mask, labels) = (io["input_ids"], io["attention_mask"], io["labels"]);
        List<(string, Tensor)> tensors = kind switch
        {
            "no-ids" => [("attention_mask", mask), ("labels", labels)],
            "float-ids" => [("input_ids", ids.to(ScalarType.Float32)), ("attention_mask", mask)],
            "ids-1d" => [("input_ids", ids.flatten()), ("attention_mask", mask)],
            "ids-out-of-vocab" => [("input_ids", ids.index_put_(tensor(512L), tensor(1L), tensor(2L))), ("attention_mask", mask)],
            "mask-shape" => [("input_ids", ids), ("attention_mask", mask.narrow(1, 0, 9))],
            "no-mask" => [("input_ids", ids)],
            "labels-shape" => [("input_ids", ids), ("attention_mask", mask), ("labels", labels.narrow(0, 0, 2))],
            _ => [("input_ids", ids), ("attention_mask", mask), ("labels", tensor(new long[] { 0, 5, 1 }))],
        };
        var inputs = dir.Combine($"{kind}.safetensors");
        SafetensorsTorch.Save(inputs, tensors);
        await File.WriteAllTextAsync(Out, "left alone");

        var result = await PeftOpsRunner.InProcess("forward", "--base", Fixture("tiny-bert"), "--adapter", Fixture("bert-lora"), "--inputs", inputs, "--out", Out);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"peftops: {inputs}: {message}\n", result.Stderr);
        Assert.Equal("left alone", await File.ReadAllTextAsync(Out));
        Assert.Equal(new[] { "out.safetensors", $"{kind}.safetensors" }.Order(StringComparer.Ordinal), Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_adapter_for_another_base_exits_2_and_writes_nothing()
    {
        var result = await PeftOpsRunner.InProcess("forward", "--base", Fixture("tiny-bert"), "--adapter", Fixture("llama-lora"),
            "--inputs", Fixture("tiny-bert", "io.safetensors"), "--out", Out);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"peftops: {Fixture("llama-lora", "adapter_config.json")}: target_modules [down_proj, gate_proj, k_proj, o_proj, q_proj, up_proj, v_proj] match no linear layer", result.Stderr);
        Assert.False(File.Exists(Out));
    }

    [Fact]
    public async Task Missing_files_and_folders_exit_2_and_write_nothing()
    {
        var inputs = Fixture("tiny-bert", "io.safetensors");
        var noBase = dir.Combine("no-such-model");
        var noAdapter = dir.Combine("no-such-adapter");
        var noInputs = dir.Combine("no-inputs.safetensors");
        var noFolder = dir.Combine("missing", "out.safetensors");

        (string[] Args, string Message)[] cases =
        [
            (["--base", noBase, "--inputs", inputs, "--out", Out], $"--base {noBase}: no such folder (expected builtin:all-MiniLM-L6-v2 or a Hugging Face checkpoint folder)"),
            (["--base", Fixture("tiny-bert"), "--adapter", noAdapter, "--inputs", inputs, "--out", Out], $"{Path.Combine(noAdapter, "adapter_config.json")}: not found (a PEFT adapter folder holds adapter_config.json)"),
            (["--base", Fixture("tiny-bert"), "--inputs", noInputs, "--out", Out], $"{noInputs}: file not found"),
            (["--base", Fixture("tiny-bert"), "--inputs", inputs, "--out", noFolder], $"--out {noFolder}: folder {Path.GetDirectoryName(noFolder)} does not exist"),
            (["--base", Fixture("tiny-bert"), "--inputs", inputs, "--out", dir.Path], $"--out {dir.Path}: is a folder (expected a file path)"),
            (["--base", Fixture("tiny-bert"), "--merge", "--inputs", inputs, "--out", Out], "--merge: there is no adapter to merge (pass --adapter PEFT_DIR)"),
        ];
        foreach (var (args, message) in cases)
        {
            var result = await PeftOpsRunner.InProcess(["forward", .. args]);

            Assert.Equal(2, result.ExitCode);
            Assert.Equal($"peftops: {message}\n", result.Stderr);
        }
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task Cuda_where_there_is_none_exits_2_with_what_to_do()
    {
        var result = await PeftOpsRunner.InProcess("forward", "--base", Fixture("tiny-bert"), "--inputs", Fixture("tiny-bert", "io.safetensors"), "--out", Out, "--device", "cuda");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("peftops: --device cuda: CUDA is not available here", result.Stderr);
        Assert.Contains("PEFTOPS_LIBTORCH", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Out));
    }

    [Fact]
    public async Task A_missing_required_option_is_a_usage_error()
    {
        var result = await PeftOpsRunner.InProcess("forward", "--base", Fixture("tiny-bert"), "--out", Out);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--inputs", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Out));
    }

    [Fact]
    public async Task A_separate_process_with_PEFTOPS_LIBTORCH_loads_that_libtorch_and_computes_the_same_logits()
    {
        var native = Path.Combine(PeftOpsRunner.CliDirectory, "runtimes", "linux-x64", "native");
        Assert.True(File.Exists(Path.Combine(native, "libtorch_cpu.so")), $"{native} holds no libtorch");
        var environment = new Dictionary<string, string> { ["PEFTOPS_LIBTORCH"] = native };

        var info = await PeftOpsRunner.AsProcess(environment, "model", "info", Fixture("tiny-bert"));
        var run = await PeftOpsRunner.AsProcess(environment, "forward", "--base", Fixture("tiny-bert"), "--adapter", Fixture("bert-lora"),
            "--inputs", Fixture("tiny-bert", "io.safetensors"), "--out", Out);

        Assert.True(info.ExitCode == 0, info.Stderr);
        Assert.Contains($"\nlibtorch: {native} (TorchSharp ", info.Stdout, StringComparison.Ordinal);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var expected = Expected("bert-lora");
        var output = SafetensorsTorch.Load(Out);
        TensorAssert.Close(expected["logits"], output["logits"], 1e-5, "logits");
        TensorAssert.Close(expected["loss"], output["loss"], 1e-5, "loss");
    }

    [Fact]
    public async Task A_separate_process_with_a_wrong_PEFTOPS_LIBTORCH_exits_2_naming_the_variable()
    {
        var missing = dir.Combine("no-torch");
        var run = await PeftOpsRunner.AsProcess(new Dictionary<string, string> { ["PEFTOPS_LIBTORCH"] = missing },
            "forward", "--base", Fixture("tiny-bert"), "--inputs", Fixture("tiny-bert", "io.safetensors"), "--out", Out);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"peftops: PEFTOPS_LIBTORCH={missing}: no such folder (expected the torch/lib folder of an installed PyTorch)\n", run.Stderr);
        Assert.False(File.Exists(Out));
    }

    // bf16 moves llama-lora's logits by about 1% of their scale (BaseDtypeTests in PeftOps.Peft.Tests measures it); 5% bounds it
    [Fact]
    public async Task Dtype_bf16_holds_the_base_in_bfloat16_and_writes_float32_logits_close_to_peft()
    {
        var output = await Forward("--base", Fixture("tiny-llama"), "--adapter", Fixture("llama-lora"), "--dtype", "bf16", "--inputs", Fixture("tiny-llama", "io.safetensors"));

        var expected = Expected("llama-lora");
        Assert.Equal(ScalarType.Float32, output["logits"].dtype);
        var scale = expected["logits"].abs().max().item<float>();
        Assert.InRange((output["logits"] - expected["logits"]).abs().max().item<float>(), 1e-6, 0.05 * scale);
        Assert.InRange(Math.Abs(output["loss"].item<float>() - expected["loss"].item<float>()), 0, 0.005 * expected["loss"].item<float>());
    }

    [Theory]
    [InlineData("tiny-llama", "fp16", "peftops: --dtype fp16: unknown dtype (expected float32 or bf16 (bfloat16))\n")]
    [InlineData("tiny-bert", "bfloat16", "peftops: --dtype bfloat16: BertSequenceClassifier bases run in float32 only (bfloat16 is supported for decoder checkpoints: Llama, Qwen2, Mistral)\n")]
    public async Task A_dtype_the_base_cannot_take_exits_2_in_one_line(string baseFolder, string dtype, string message)
    {
        var result = await PeftOpsRunner.InProcess(["forward", "--base", Fixture(baseFolder), "--dtype", dtype, "--inputs", Fixture(baseFolder, "io.safetensors"), "--out", Out]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(message, result.Stderr);
        Assert.False(File.Exists(Out));
    }
}
