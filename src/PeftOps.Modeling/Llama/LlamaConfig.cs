namespace PeftOps.Modeling.Llama;

/// <summary>The fields of a Hugging Face <c>LlamaConfig</c> that the forward pass uses.</summary>
public sealed record LlamaConfig
{
    public int VocabSize { get; init; } = 32000;
    public int HiddenSize { get; init; } = 4096;
    public int IntermediateSize { get; init; } = 11008;
    public int NumHiddenLayers { get; init; } = 32;
    public int NumAttentionHeads { get; init; } = 32;
    /// <summary>Grouped-query attention: each key/value head serves NumAttentionHeads / NumKeyValueHeads query heads.</summary>
    public int NumKeyValueHeads { get; init; } = 32;
    public int? HeadDimOverride { get; init; }
    public int MaxPositionEmbeddings { get; init; } = 2048;
    public double RmsNormEps { get; init; } = 1e-6;
    public double RopeTheta { get; init; } = 10000.0;
    public bool TieWordEmbeddings { get; init; }
    /// <summary>Bias on every attention projection (Llama's <c>attention_bias</c>).</summary>
    public bool AttentionBias { get; init; }
    /// <summary>Bias on the query, key and value projections only, as Qwen2 has it (its o_proj has none).</summary>
    public bool QkvBias { get; init; }
    /// <summary>Mistral's sliding window: a query sees itself and the SlidingWindow - 1 keys before it; null is full causal attention.</summary>
    public int? SlidingWindow { get; init; }
    public bool MlpBias { get; init; }
    public int? BosTokenId { get; init; }
    /// <summary><c>config.json</c>'s <c>eos_token_id</c> (the first, where it is a list): the token training appends to a response.</summary>
    public int? EosTokenId { get; init; }
    /// <summary>
    /// Tokens that end generation: <c>eos_token_id</c> (a number or a list) of <c>generation_config.json</c> where the
    /// checkpoint has one, else of <c>config.json</c>, as transformers' <c>generate</c> takes it.
    /// </summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    public int HeadDim => HeadDimOverride ?? HiddenSize / NumAttentionHeads;
}
