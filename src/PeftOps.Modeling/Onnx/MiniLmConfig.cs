using System.Text.Json.Nodes;

namespace PeftOps.Modeling.Onnx;

/// <summary>
/// The architecture of all-MiniLM-L6-v2 (a BERT encoder), with Hugging Face's <c>config.json</c> names.
/// 22,713,216 parameters with the pooler: embeddings (V + P + 2) * H + 2H, per layer 4(H^2 + H) + 2(H I) + I + H + 4H,
/// pooler H^2 + H.
/// </summary>
public sealed record MiniLmConfig
{
    public static MiniLmConfig Default { get; } = new();

    public int VocabSize { get; init; } = 30522;
    public int HiddenSize { get; init; } = 384;
    public int NumHiddenLayers { get; init; } = 6;
    public int NumAttentionHeads { get; init; } = 12;
    public int IntermediateSize { get; init; } = 1536;
    public int MaxPositionEmbeddings { get; init; } = 512;
    public int TypeVocabSize { get; init; } = 2;
    public double LayerNormEps { get; init; } = 1e-12;

    /// <summary>The exact erf GELU (the graph computes <c>x * 0.5 * (1 + erf(x / sqrt 2))</c>).</summary>
    public string HiddenAct { get; init; } = "gelu";

    public int PadTokenId { get; init; }

    /// <summary>Parameters of a BertModel of this shape, pooler included.</summary>
    public long ParameterCount
    {
        get
        {
            long h = HiddenSize, i = IntermediateSize;
            var embeddings = ((long)VocabSize + MaxPositionEmbeddings + TypeVocabSize) * h + 2 * h;
            var layer = 4 * (h * h + h) + 2 * h * i + i + h + 4 * h;
            return embeddings + NumHiddenLayers * layer + h * h + h;
        }
    }

    /// <summary>The Hugging Face <c>config.json</c> of this model (BertModel, eval-time dropout values kept from the original).</summary>
    public JsonObject ToHfConfigJson() => new()
    {
        ["architectures"] = new JsonArray("BertModel"),
        ["attention_probs_dropout_prob"] = 0.1,
        ["hidden_act"] = HiddenAct,
        ["hidden_dropout_prob"] = 0.1,
        ["hidden_size"] = HiddenSize,
        ["initializer_range"] = 0.02,
        ["intermediate_size"] = IntermediateSize,
        ["layer_norm_eps"] = LayerNormEps,
        ["max_position_embeddings"] = MaxPositionEmbeddings,
        ["model_type"] = "bert",
        ["num_attention_heads"] = NumAttentionHeads,
        ["num_hidden_layers"] = NumHiddenLayers,
        ["pad_token_id"] = PadTokenId,
        ["position_embedding_type"] = "absolute",
        ["torch_dtype"] = "float32",
        ["type_vocab_size"] = TypeVocabSize,
        ["use_cache"] = true,
        ["vocab_size"] = VocabSize,
    };

    /// <summary>The HF BertModel state-dict names of this shape, in module order.</summary>
    public IReadOnlyList<string> StateDictNames()
    {
        var names = new List<string>
        {
            "embeddings.word_embeddings.weight",
            "embeddings.position_embeddings.weight",
            "embeddings.token_type_embeddings.weight",
            "embeddings.LayerNorm.weight",
            "embeddings.LayerNorm.bias",
        };
        for (var layer = 0; layer < NumHiddenLayers; layer++)
        {
            var p = $"encoder.layer.{layer}.";
            foreach (var module in new[] { "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense", "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm" })
            {
                names.Add($"{p}{module}.weight");
                names.Add($"{p}{module}.bias");
            }
        }
        names.Add("pooler.dense.weight");
        names.Add("pooler.dense.bias");
        return names;
    }
}
