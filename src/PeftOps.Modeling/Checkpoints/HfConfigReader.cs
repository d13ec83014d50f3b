using PeftOps.Contracts;
using System.Text.Json;
using PeftOps.Modeling.Bert;
using PeftOps.Modeling.Llama;

namespace PeftOps.Modeling.Checkpoints;

/// <summary>Reads a Hugging Face <c>config.json</c> into the model configs; errors name the file and key.</summary>
public static class HfConfigReader
{
    public static (ModelArchitecture Architecture, BertConfig? Bert, LlamaConfig? Llama) Read(string configPath)
    {
        if (!File.Exists(configPath))
            throw new InputException($"{configPath}: not found (a Hugging Face checkpoint folder needs config.json)");
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(configPath));
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InputException($"{configPath}: not valid JSON ({e.Message})", e);
        }
        var reader = new Reader(configPath, root);
        var modelType = reader.String("model_type");
        var architecture = root.TryGetProperty("architectures", out var archs) && archs.ValueKind == JsonValueKind.Array && archs.GetArrayLength() > 0
            ? archs[0].GetString() ?? ""
            : "";
        switch (modelType)
        {
            case "bert":
                var bert = ReadBert(reader);
                var arch = architecture == "BertForSequenceClassification" ? ModelArchitecture.BertSequenceClassifier : ModelArchitecture.BertEncoder;
                if (arch == ModelArchitecture.BertSequenceClassifier && bert.Labels.Count == 0)
                    throw new InputException($"{configPath}: id2label/num_labels missing for BertForSequenceClassification");
                return (arch, bert, null);
            case "llama":
                return (ModelArchitecture.LlamaCausalLm, null, ReadLlama(reader));
            case "qwen2":
                // Qwen2 is Llama with biases on q/k/v (none on o_proj); its sliding window is off unless use_sliding_window.
                if (reader.Bool("use_sliding_window", false))
                    throw new InputException($"{configPath}: use_sliding_window true is not supported for qwen2 (expected false)");
                return (ModelArchitecture.LlamaCausalLm, null, ReadLlama(reader) with { QkvBias = true });
            case "mistral":
                return (ModelArchitecture.LlamaCausalLm, null, ReadLlama(reader) with { SlidingWindow = reader.OptionalInt("sliding_window") is 0 ? throw new InputException($"{configPath}: sliding_window must be at least 1 or null (was 0)") : reader.OptionalInt("sliding_window") });
            default:
                throw new InputException($"{configPath}: model_type '{modelType}' is not supported (expected bert, llama, qwen2 or mistral)");
        }
    }

    private static BertConfig ReadBert(Reader r) => new()
    {
        VocabSize = r.Int("vocab_size"),
        HiddenSize = r.Int("hidden_size"),
        NumHiddenLayers = r.Int("num_hidden_layers"),
        NumAttentionHeads = r.Int("num_attention_heads"),
        IntermediateSize = r.Int("intermediate_size"),
        MaxPositionEmbeddings = r.Int("max_position_embeddings", 512),
        TypeVocabSize = r.Int("type_vocab_size", 2),
        LayerNormEps = r.Double("layer_norm_eps", 1e-12),
        HiddenDropoutProb = r.Double("hidden_dropout_prob", 0.1),
        AttentionProbsDropoutProb = r.Double("attention_probs_dropout_prob", 0.1),
        ClassifierDropout = r.OptionalDouble("classifier_dropout"),
        HiddenAct = r.String("hidden_act", "gelu"),
        PadTokenId = r.Int("pad_token_id", 0),
        Labels = r.Labels(),
    };

    private static LlamaConfig ReadLlama(Reader r)
    {
        var theta = r.OptionalDouble("rope_theta");
        if (r.Root.TryGetProperty("rope_parameters", out var rope) && rope.ValueKind == JsonValueKind.Object)
        {
            var type = rope.TryGetProperty("rope_type", out var t) ? t.GetString() : "default";
            if (type is not ("default" or null))
                throw new InputException($"{r.Path}: rope_parameters.rope_type '{type}' is not supported (expected default)");
            if (rope.TryGetProperty("rope_theta", out var th))
                theta = th.GetDouble();
        }
        if (r.Root.TryGetProperty("rope_scaling", out var scaling) && scaling.ValueKind == JsonValueKind.Object)
            throw new InputException($"{r.Path}: rope_scaling is not supported (expected none)");
        var heads = r.Int("num_attention_heads");
        var kv = r.Int("num_key_value_heads", heads);
        if (heads % kv != 0)
            throw new InputException($"{r.Path}: num_attention_heads {heads} is not a multiple of num_key_value_heads {kv}");
        return new LlamaConfig
        {
            VocabSize = r.Int("vocab_size"),
            HiddenSize = r.Int("hidden_size"),
            IntermediateSize = r.Int("intermediate_size"),
            NumHiddenLayers = r.Int("num_hidden_layers"),
            NumAttentionHeads = heads,
            NumKeyValueHeads = kv,
            HeadDimOverride = r.OptionalInt("head_dim"),
            MaxPositionEmbeddings = r.Int("max_position_embeddings", 2048),
            RmsNormEps = r.Double("rms_norm_eps", 1e-6),
            RopeTheta = theta ?? 10000.0,
            TieWordEmbeddings = r.Bool("tie_word_embeddings", false),
            AttentionBias = r.Bool("attention_bias", false),
            MlpBias = r.Bool("mlp_bias", false),
            BosTokenId = r.OptionalInt("bos_token_id"),
            EosTokenId = r.IntList("eos_token_id") is [var first, ..] ? first : null,
            EosTokenIds = GenerationEos(r.Path) ?? r.IntList("eos_token_id"),
        };
    }

    // generation_config.json beside config.json: its eos_token_id is what generate stops on, where it has one.
    private static IReadOnlyList<int>? GenerationEos(string configPath)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(configPath) ?? ".", "generation_config.json");
        if (!File.Exists(path))
            return null;
        using var doc = JsonInput.Parse(path, File.ReadAllText(path));
        var reader = new Reader(path, doc.RootElement.Clone());
        return reader.Root.TryGetProperty("eos_token_id", out var v) && v.ValueKind != JsonValueKind.Null ? reader.IntList("eos_token_id") : null;
    }

    private sealed record Reader(string Path, JsonElement Root)
    {
        public string String(string key, string? fallback = null) =>
            Root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!
            : fallback ?? throw new InputException($"{Path}: {key} missing (expected a string)");

        public int Int(string key, int? fallback = null) =>
            OptionalInt(key) ?? fallback ?? throw new InputException($"{Path}: {key} missing (expected an integer)");

        public int? OptionalInt(string key)
        {
            if (!Root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
                return null;
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i) || i < 0)
                throw new InputException($"{Path}: {key} must be a non-negative integer (was {v.GetRawText()})");
            return i;
        }

        /// <summary>A non-negative integer or a list of them (transformers' <c>eos_token_id</c>); empty when absent or null.</summary>
        public IReadOnlyList<int> IntList(string key)
        {
            if (!Root.TryGetProperty(key, out var v) || v.ValueKind != JsonValueKind.Array)
                return OptionalInt(key) is { } single ? [single] : [];
            return [.. v.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var i) && i >= 0 ? i
                : throw new InputException($"{Path}: {key} must be a non-negative integer or a list of them (was {v.GetRawText()})"))];
        }

        public double Double(string key, double fallback) => OptionalDouble(key) ?? fallback;

        public double? OptionalDouble(string key)
        {
            if (!Root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
                return null;
            return v.ValueKind == JsonValueKind.Number ? v.GetDouble()
                : throw new InputException($"{Path}: {key} must be a number (was {v.GetRawText()})");
        }

        public bool Bool(string key, bool fallback) =>
            Root.TryGetProperty(key, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback;

        /// <summary>id2label in id order, else LABEL_i for num_labels.</summary>
        public IReadOnlyList<string> Labels()
        {
            if (Root.TryGetProperty("id2label", out var map) && map.ValueKind == JsonValueKind.Object)
            {
                var pairs = map.EnumerateObject()
                    .Select(p => int.TryParse(p.Name, out var id) ? (id, p.Value.GetString() ?? "")
                        : throw new InputException($"{Path}: id2label key '{p.Name}' is not an integer"))
                    .OrderBy(p => p.Item1).ToList();
                if (pairs.Select(p => p.Item1).SequenceEqual(Enumerable.Range(0, pairs.Count)))
                    return pairs.Select(p => p.Item2).ToList();
                throw new InputException($"{Path}: id2label ids must be 0..{pairs.Count - 1}");
            }
            var n = OptionalInt("num_labels") ?? 0;
            return Enumerable.Range(0, n).Select(i => $"LABEL_{i}").ToList();
        }
    }
}
