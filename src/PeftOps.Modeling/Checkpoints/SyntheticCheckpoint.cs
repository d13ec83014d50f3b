using PeftOps.Modeling.Runtime;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PeftOps.Contracts;
using PeftOps.Modeling.Safetensors;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Checkpoints;

/// <summary>
/// Writes a Hugging Face decoder checkpoint with the published shapes of a real model and random weights
/// (N(0, 0.02) matrices unless told otherwise, unit norms, zero biases): <c>config.json</c>, sharded <c>model-0000k-of-0000n.safetensors</c>
/// with <c>model.safetensors.index.json</c>, a byte-level BPE <c>tokenizer.json</c>, a <c>tokenizer_config.json</c> with a
/// ChatML chat template and <c>generation_config.json</c> (eos: <c>&lt;|im_end|&gt;</c>, then <c>&lt;|endoftext|&gt;</c>, as
/// Qwen2.5-Instruct's), so loading, memory, step time and chat training can be tried at real size with nothing downloaded. The weights mean nothing; the shapes, dtypes, file layout and
/// tensor names are the real model's.
/// </summary>
public static class SyntheticCheckpoint
{
    /// <summary>The shapes this tool writes, from each model's published <c>config.json</c>.</summary>
    public static IReadOnlyDictionary<string, DecoderShape> Shapes { get; } = new Dictionary<string, DecoderShape>(StringComparer.Ordinal)
    {
        ["qwen2.5-0.5b"] = new("qwen2", "Qwen2ForCausalLM", VocabSize: 151936, HiddenSize: 896, IntermediateSize: 4864, Layers: 24, Heads: 14, KvHeads: 2,
            MaxPositions: 32768, RopeTheta: 1_000_000, RmsNormEps: 1e-6, TieWordEmbeddings: true, SlidingWindow: null),
        ["tinyllama-1.1b"] = new("llama", "LlamaForCausalLM", VocabSize: 32000, HiddenSize: 2048, IntermediateSize: 5632, Layers: 22, Heads: 32, KvHeads: 4,
            MaxPositions: 2048, RopeTheta: 10_000, RmsNormEps: 1e-5, TieWordEmbeddings: false, SlidingWindow: null),
        ["mistral-7b"] = new("mistral", "MistralForCausalLM", VocabSize: 32000, HiddenSize: 4096, IntermediateSize: 14336, Layers: 32, Heads: 32, KvHeads: 8,
            MaxPositions: 32768, RopeTheta: 10_000, RmsNormEps: 1e-5, TieWordEmbeddings: false, SlidingWindow: 4096),
    };

    /// <param name="layers">Fewer decoder layers than the real model (same widths), or null for all of them.</param>
    /// <param name="tokenizerCorpus">Text to learn the tokenizer's BPE merges on (with up to <paramref name="tokenizerMerges"/>
    /// merges), or null for the built-in English text; a tiny model for a test learns its own data's words this way.</param>
    /// <param name="weightStd">The standard deviation of the random matrices (transformers' <c>initializer_range</c>).</param>
    /// <returns>The number of parameters written.</returns>
    public static long Write(string folder, DecoderShape shape, ScalarType dtype, long seed, int? layers = null, long shardBytes = 500_000_000,
        string? tokenizerCorpus = null, int tokenizerMerges = 300, double weightStd = 0.02)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (dtype is not (ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16))
            throw new InputException($"dtype {dtype} is not a weight dtype (expected float32, bfloat16 or float16)");
        if (layers is < 1)
            throw new InputException($"--layers must be at least 1 (was {layers})");
        shape = layers is { } n ? shape with { Layers = n } : shape;
        Directory.CreateDirectory(folder);
        var tokenizer = SyntheticTokenizer.Build(tokenizerCorpus, tokenizerMerges);
        var (bos, eos) = (tokenizer.Bos, tokenizer.Eos);
        if (tokenizer.VocabularySize > shape.VocabSize)
            throw new InputException($"the tokenizer has {tokenizer.VocabularySize} tokens, more than the shape's vocabulary of {shape.VocabSize}");
        File.WriteAllText(Path.Combine(folder, "config.json"), Config(shape, dtype, bos, eos).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), tokenizer.Json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), TokenizerConfig().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllText(Path.Combine(folder, "generation_config.json"), new JsonObject
        {
            ["bos_token_id"] = bos,
            ["eos_token_id"] = new JsonArray(eos, bos),
            ["pad_token_id"] = bos,
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        var generator = new Generator((ulong)seed);
        var shards = new List<List<(string Name, long[] Shape, bool Norm)>> { new() };
        long shardSize = 0, total = 0;
        var element = dtype == ScalarType.Float32 ? 4 : 2;
        foreach (var tensor in Tensors(shape))
        {
            var bytes = tensor.Shape.Aggregate(1L, (a, b) => a * b) * element;
            if (shardSize > 0 && shardSize + bytes > shardBytes)
            {
                shards.Add([]);
                shardSize = 0;
            }
            shards[^1].Add(tensor);
            shardSize += bytes;
            total += bytes / element;
        }
        var weightMap = new JsonObject();
        for (var s = 0; s < shards.Count; s++)
        {
            var file = string.Create(CultureInfo.InvariantCulture, $"model-{s + 1:D5}-of-{shards.Count:D5}.safetensors");
            using var scope = NewDisposeScope();
            SafetensorsTorch.Save(Path.Combine(folder, file), shards[s].Select(t => (t.Name, Random(t, dtype, weightStd, generator))), new Dictionary<string, string> { ["format"] = "pt" });
            foreach (var t in shards[s])
                weightMap[t.Name] = file;
        }
        var index = new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = total * element }, ["weight_map"] = weightMap };
        File.WriteAllText(Path.Combine(folder, SafetensorsTorch.IndexFileName), index.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return total;
    }

    private static Tensor Random((string Name, long[] Shape, bool Norm) t, ScalarType dtype, double std, Generator generator) =>
        t.Norm ? ones(t.Shape, dtype)
        : t.Name.EndsWith(".bias", StringComparison.Ordinal) ? zeros(t.Shape, dtype)
        : randn(t.Shape, generator: generator).mul(HeldScalars.Of(std)).to(dtype);

    /// <summary>Every tensor of the checkpoint, in transformers' names and shapes.</summary>
    public static IEnumerable<(string Name, long[] Shape, bool Norm)> Tensors(DecoderShape s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var headDim = s.HiddenSize / s.Heads;
        yield return ("model.embed_tokens.weight", [s.VocabSize, s.HiddenSize], false);
        for (var i = 0; i < s.Layers; i++)
        {
            var p = $"model.layers.{i}.";
            yield return (p + "input_layernorm.weight", [s.HiddenSize], true);
            yield return (p + "self_attn.q_proj.weight", [s.Heads * headDim, s.HiddenSize], false);
            yield return (p + "self_attn.k_proj.weight", [s.KvHeads * headDim, s.HiddenSize], false);
            yield return (p + "self_attn.v_proj.weight", [s.KvHeads * headDim, s.HiddenSize], false);
            if (s.ModelType == "qwen2")
            {
                yield return (p + "self_attn.q_proj.bias", [s.Heads * headDim], false);
                yield return (p + "self_attn.k_proj.bias", [s.KvHeads * headDim], false);
                yield return (p + "self_attn.v_proj.bias", [s.KvHeads * headDim], false);
            }
            yield return (p + "self_attn.o_proj.weight", [s.HiddenSize, s.Heads * headDim], false);
            yield return (p + "post_attention_layernorm.weight", [s.HiddenSize], true);
            yield return (p + "mlp.gate_proj.weight", [s.IntermediateSize, s.HiddenSize], false);
            yield return (p + "mlp.up_proj.weight", [s.IntermediateSize, s.HiddenSize], false);
            yield return (p + "mlp.down_proj.weight", [s.HiddenSize, s.IntermediateSize], false);
        }
        yield return ("model.norm.weight", [s.HiddenSize], true);
        if (!s.TieWordEmbeddings)
            yield return ("lm_head.weight", [s.VocabSize, s.HiddenSize], false);
    }

    private static JsonObject TokenizerConfig() => new()
    {
        ["chat_template"] = SyntheticTokenizer.ChatTemplate,
        ["bos_token"] = null,
        ["eos_token"] = SyntheticTokenizer.ImEnd,
        ["pad_token"] = SyntheticTokenizer.EndOfText,
        ["additional_special_tokens"] = new JsonArray(SyntheticTokenizer.ImStart, SyntheticTokenizer.ImEnd),
    };

    private static JsonObject Config(DecoderShape s, ScalarType dtype, int bos, int eos)
    {
        var config = new JsonObject
        {
            ["architectures"] = new JsonArray(s.Architecture),
            ["model_type"] = s.ModelType,
            ["vocab_size"] = s.VocabSize,
            ["hidden_size"] = s.HiddenSize,
            ["intermediate_size"] = s.IntermediateSize,
            ["num_hidden_layers"] = s.Layers,
            ["num_attention_heads"] = s.Heads,
            ["num_key_value_heads"] = s.KvHeads,
            ["max_position_embeddings"] = s.MaxPositions,
            ["rope_theta"] = s.RopeTheta,
            ["rms_norm_eps"] = s.RmsNormEps,
            ["tie_word_embeddings"] = s.TieWordEmbeddings,
            ["hidden_act"] = "silu",
            ["bos_token_id"] = bos,
            ["eos_token_id"] = eos,
            ["torch_dtype"] = dtype switch { ScalarType.BFloat16 => "bfloat16", ScalarType.Float16 => "float16", _ => "float32" },
        };
        if (s.ModelType == "qwen2")
            config["use_sliding_window"] = false;
        if (s.ModelType == "mistral")
            config["sliding_window"] = s.SlidingWindow;
        return config;
    }
}

/// <summary>A decoder's published shape: what its <c>config.json</c> says.</summary>
public sealed record DecoderShape(string ModelType, string Architecture, int VocabSize, int HiddenSize, int IntermediateSize, int Layers, int Heads, int KvHeads,
    int MaxPositions, double RopeTheta, double RmsNormEps, bool TieWordEmbeddings, int? SlidingWindow)
{
    /// <summary>Parameters of the whole model.</summary>
    public long Parameters => SyntheticCheckpoint.Tensors(this).Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b));
}
