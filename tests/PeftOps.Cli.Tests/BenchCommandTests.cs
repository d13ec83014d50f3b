using System.Text.Json;
using PeftOps.TestSupport;

namespace PeftOps.Cli.Tests;

/// <summary>
/// <c>peftops bench</c> at a tiny size: it runs our training step, the plain loop and the fused loop on the same weights,
/// and the three compute the same logits; every figure it prints is in its JSON and is a real measurement (positive, finite).
/// Speed itself is the benchmark's business (README), not a test's.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class BenchCommandTests
{
    [Fact]
    public async Task Compares_our_step_with_the_plain_loop_on_the_same_arithmetic_and_writes_every_figure()
    {
        using var temp = new TempDirectory();
        var json = Path.Combine(temp.Path, "bench.json");

        var result = await PeftOpsRunner.InProcess("bench", "--shapes", "4x8", "--steps", "2", "--warmup", "1", "--examples", "16", "--scaling", "false", "--json", json);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("plain loop ms", result.Stdout);
        Assert.Contains("fused loop ms", result.Stdout);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var training = Assert.Single(document.RootElement.GetProperty("training").EnumerateArray());
        Assert.Equal(4, training.GetProperty("shape").GetProperty("batch").GetInt32());
        Assert.Equal(8, training.GetProperty("shape").GetProperty("tokens").GetInt32());
        // Same weights, same inputs, dropout off: the plain loop, the fused loop and PeftOps agree to float rounding.
        Assert.InRange(training.GetProperty("max_logit_difference").GetDouble(), 0, 1e-5);
        Assert.InRange(training.GetProperty("fused_max_logit_difference").GetDouble(), 0, 1e-5);
        var ours = training.GetProperty("ours_ms").GetDouble();
        var plain = training.GetProperty("plain_ms").GetDouble();
        Assert.True(ours > 0 && plain > 0, $"{ours} ms, {plain} ms");
        Assert.Equal(ours / plain, training.GetProperty("ratio").GetDouble(), 6);
        var fused = training.GetProperty("fused_ms").GetDouble();
        Assert.True(fused > 0, $"{fused} ms");
        Assert.Equal(ours / fused, training.GetProperty("fused_ratio").GetDouble(), 6);
        // the floor: the step's unavoidable matrix products alone, less than the step that also does everything else
        var floor = training.GetProperty("floor_ms").GetDouble();
        Assert.True(floor > 0 && floor < ours, $"floor {floor} ms, step {ours} ms");
        Assert.Equal(ours / floor, training.GetProperty("floor_ratio").GetDouble(), 6);
        Assert.Equal(MiniLmFloorFlops(batch: 4, tokens: 8) / 1e9, training.GetProperty("floor_gflop").GetDouble(), 9);
        var modes = document.RootElement.GetProperty("prediction").EnumerateArray().Select(r => r.GetProperty("mode").GetString()).ToList();
        Assert.Equal(["base", "unmerged", "merged"], modes);
        Assert.All(document.RootElement.GetProperty("prediction").EnumerateArray(), r =>
        {
            Assert.True(r.GetProperty("examples_per_second").GetDouble() > 0);
            Assert.True(r.GetProperty("latency_ms").GetDouble() > 0);
        });
        Assert.Empty(document.RootElement.GetProperty("sizing").EnumerateArray());
        AssertRuntime(document.RootElement);
    }

    /// <summary>
    /// all-MiniLM-L6-v2's step with LoRA on every layer, counted from the whole step down: each layer below the top,
    /// forward (four 384 x 384 projections, the 384 x 1536 pair, two attention products) and the same backward, less
    /// what the lowest layer needs no gradient for (its query, key and value inputs, and the key's attention product);
    /// the top layer, whose only row the pooler reads is [CLS]: key and value on every position, the rest on [CLS] alone.
    /// </summary>
    private static double MiniLmFloorFlops(int batch, int tokens)
    {
        const double H = 384, I = 1536, Layers = 6, Heads = 12, HeadDim = 32;
        double n = batch * tokens;
        double Projections(double rows, double count) => 2 * rows * H * H * count;
        double FeedForward(double rows) => 2 * rows * 2 * H * I;
        double Attention(double queries) => 2.0 * batch * Heads * queries * tokens * HeadDim;
        var below = (Layers - 1) * (2 * (Projections(n, 4) + FeedForward(n)) + 6 * Attention(tokens)) - Projections(n, 3) - Attention(tokens);
        var top = 2 * (Projections(n, 2) + Projections(batch, 2) + FeedForward(batch)) + 6 * Attention(1);
        return below + top;
    }

    /// <summary>
    /// The versions and thread count a side-by-side comparison (benchmarks/speed/side-by-side.sh) prints beside the
    /// figures: this process's TorchSharp and libtorch, and the torch threads the steps ran on.
    /// </summary>
    internal static void AssertRuntime(JsonElement root)
    {
        var runtime = root.GetProperty("runtime");
        Assert.Equal(typeof(TorchSharp.torch).Assembly.GetName().Version!.ToString(3), runtime.GetProperty("torchsharp").GetString());
        Assert.Equal(TorchSharp.torch.__version__, runtime.GetProperty("libtorch").GetString());
        Assert.False(string.IsNullOrEmpty(runtime.GetProperty("libtorch_source").GetString()));
        Assert.Equal(TorchSharp.torch.get_num_threads(), runtime.GetProperty("torch_threads").GetInt32());
        Assert.Equal(Environment.ProcessorCount, runtime.GetProperty("cores").GetInt32());
    }

    [Theory]
    [InlineData("--shapes", "32by32", "'32by32' is not BATCHxTOKENS")]
    [InlineData("--shapes", "32x2", "'32x2' is not BATCHxTOKENS")]
    [InlineData("--steps", "0", "--steps must be at least 1")]
    public async Task Bad_options_are_bad_input(string option, string value, string message)
    {
        var result = await PeftOpsRunner.InProcess("bench", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr);
    }
}

/// <summary><c>bench --model</c> on a decoder checkpoint and <c>model synth</c>'s input checks.</summary>
[Collection(CliCollection.Name)]
public sealed class DecoderBenchCommandTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Trains_lora_steps_on_a_decoder_and_accounts_for_its_memory(bool checkpointing)
    {
        using var temp = new TempDirectory();
        var (checkpoint, shape) = TinyQwen(temp);
        var json = temp.Combine("bench.json");

        string[] args = ["bench", "--model", checkpoint, "--batch", "2", "--tokens", "16", "--rank", "4", "--steps", "2", "--warmup", "1", "--json", json];

        var result = await PeftOpsRunner.InProcess(checkpointing ? [.. args, "--gradient-checkpointing"] : args);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains($"activation checkpointing {(checkpointing ? "on" : "off")}", result.Stdout);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = document.RootElement;
        Assert.Equal(shape.Parameters, root.GetProperty("base_parameters").GetInt64());
        Assert.Equal(shape.Parameters * 4, root.GetProperty("weight_bytes").GetInt64());
        // r 4 on q,k,v,o,gate,up,down of 2 layers: r * (in + out) per projection
        var h = shape.HiddenSize;
        var (q, kv, i) = (h, shape.KvHeads * (h / shape.Heads), shape.IntermediateSize);
        var expected = 2 * 4 * ((h + q) + (h + kv) * 2 + (q + h) + (h + i) * 2 + (i + h));
        Assert.Equal(expected, root.GetProperty("adapter_parameters").GetInt64());
        Assert.True(root.GetProperty("step_ms").GetDouble() > 0);
        Assert.True(root.GetProperty("floor_ms").GetDouble() > 0 && root.GetProperty("floor_gflop").GetDouble() > 0);
        Assert.Equal(checkpointing, root.GetProperty("gradient_checkpointing").GetBoolean());
        Assert.True(root.GetProperty("peak_resident").GetInt64() > 0);
        Assert.True(root.GetProperty("adapter_file_bytes").GetInt64() > expected * 4, "the saved adapter holds every LoRA matrix in float32");
        Assert.True(root.GetProperty("adapter_file_bytes").GetInt64() < shape.Parameters * 4, "only the adapter is saved");
        BenchCommandTests.AssertRuntime(root);
    }

    [Fact]
    public async Task Dtype_bf16_measures_the_logits_against_float32_and_halves_the_weights()
    {
        using var temp = new TempDirectory();
        var (checkpoint, _) = TinyQwen(temp);
        var json = temp.Combine("bench.json");

        var result = await PeftOpsRunner.InProcess("bench", "--model", checkpoint, "--dtype", "bf16", "--training", "false", "--batch", "2",
            "--tokens", "8", "--prompt-tokens", "4", "--new-tokens", "2", "--generation-runs", "1", "--json", json);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("logits vs float32   max |diff| ", result.Stdout);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal("bfloat16", document.RootElement.GetProperty("base_dtype").GetString());
        var logits = document.RootElement.GetProperty("logits_vs_float32");
        Assert.Equal(16, logits.GetProperty("positions").GetInt32());
        Assert.InRange(logits.GetProperty("max_abs_diff").GetDouble(), 1e-6, 0.05 * logits.GetProperty("max_abs_logit").GetDouble() + 1e-3);
        Assert.Equal(logits.GetProperty("float32_bytes").GetInt64(), 2 * logits.GetProperty("base_bytes").GetInt64());
    }

    [Fact]
    public async Task Measures_prefill_and_decode_of_greedy_generation_alone()
    {
        using var temp = new TempDirectory();
        var (checkpoint, _) = TinyQwen(temp);
        var json = temp.Combine("bench.json");

        var result = await PeftOpsRunner.InProcess("bench", "--model", checkpoint, "--training", "false", "--batch", "2",
            "--prompt-tokens", "8", "--new-tokens", "4", "--generation-runs", "2", "--json", json);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("generate (greedy)   batch 2, prompt 8 tokens, 4 new: prefill ", result.Stdout);
        Assert.DoesNotContain("LoRA r", result.Stdout);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var generation = document.RootElement.GetProperty("generation");
        Assert.Equal(["base_dtype", "runtime", "generation"], document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("float32", document.RootElement.GetProperty("base_dtype").GetString());
        Assert.True(generation.GetProperty("prefill_tokens_per_second").GetDouble() > 0);
        Assert.True(generation.GetProperty("decode_tokens_per_second").GetDouble() > 0);
        Assert.True(generation.GetProperty("peak_resident").GetInt64() > 0);
        Assert.Equal(2, generation.GetProperty("runs").GetInt32());
    }

    // Qwen2.5-0.5B's kind of checkpoint (tied embeddings, q/k/v biases, GQA) at a tiny width
    private static (string Folder, Modeling.Checkpoints.DecoderShape Shape) TinyQwen(TempDirectory temp)
    {
        var checkpoint = temp.Combine("qwen");
        var shape = Modeling.Checkpoints.SyntheticCheckpoint.Shapes["qwen2.5-0.5b"] with
        {
            VocabSize = 600, HiddenSize = 64, IntermediateSize = 96, Layers = 2, Heads = 4, KvHeads = 2,
        };
        Modeling.Checkpoints.SyntheticCheckpoint.Write(checkpoint, shape, TorchSharp.torch.ScalarType.Float32, seed: 5);
        return (checkpoint, shape);
    }

    [Fact]
    public async Task Synth_refuses_an_unknown_shape_and_an_existing_folder()
    {
        using var temp = new TempDirectory();

        var unknown = await PeftOpsRunner.InProcess("model", "synth", "gpt-5", "--out", temp.Combine("x"));
        var existing = await PeftOpsRunner.InProcess("model", "synth", "qwen2.5-0.5b", "--out", temp.Path);

        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("SHAPE gpt-5: unknown (expected one of qwen2.5-0.5b, tinyllama-1.1b, mistral-7b)", unknown.Stderr);
        Assert.Equal(2, existing.ExitCode);
        Assert.Contains("already exists", existing.Stderr);
        Assert.False(Directory.Exists(temp.Combine("x")));
    }
}
