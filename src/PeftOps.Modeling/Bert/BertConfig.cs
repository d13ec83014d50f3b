namespace PeftOps.Modeling.Bert;

/// <summary>The fields of a Hugging Face <c>BertConfig</c> that the forward pass uses.</summary>
public sealed record BertConfig
{
    public int VocabSize { get; init; } = 30522;
    public int HiddenSize { get; init; } = 768;
    public int NumHiddenLayers { get; init; } = 12;
    public int NumAttentionHeads { get; init; } = 12;
    public int IntermediateSize { get; init; } = 3072;
    public int MaxPositionEmbeddings { get; init; } = 512;
    public int TypeVocabSize { get; init; } = 2;
    public double LayerNormEps { get; init; } = 1e-12;
    public double HiddenDropoutProb { get; init; } = 0.1;
    public double AttentionProbsDropoutProb { get; init; } = 0.1;
    public double? ClassifierDropout { get; init; }
    /// <summary>gelu (exact, erf) is what BERT uses; gelu_new/gelu_pytorch_tanh use the tanh form.</summary>
    public string HiddenAct { get; init; } = "gelu";
    public int PadTokenId { get; init; }
    /// <summary>Class labels in id order (id2label); empty for a bare encoder.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    public int HeadDim => HiddenSize / NumAttentionHeads;
}
