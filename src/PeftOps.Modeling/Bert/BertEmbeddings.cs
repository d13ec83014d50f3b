using PeftOps.Modeling.Layers;
using PeftOps.Modeling.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Bert;

/// <summary>[B, T] token ids -> [B, T, H]: word + absolute position + token type, then LayerNorm.</summary>
public sealed class BertEmbeddings : nn.Module<Tensor, Tensor>
{
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly CounterDropout dropout;

    public BertEmbeddings(BertConfig config) : base(nameof(BertEmbeddings))
    {
        word_embeddings = nn.Embedding(config.VocabSize, config.HiddenSize);
        position_embeddings = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        token_type_embeddings = nn.Embedding(config.TypeVocabSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = new CounterDropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    public override Tensor forward(Tensor inputIds)
    {
        using var scope = NewDisposeScope();
        var length = inputIds.shape[1];
        var positions = HeldScalars.Arange(length, inputIds.device).unsqueeze(0);
        var types = zeros_like(inputIds);
        var x = word_embeddings.forward(inputIds).Plus(position_embeddings.forward(positions)).Plus(token_type_embeddings.forward(types));
        return dropout.forward(LayerNorm.forward(x)).MoveToOuterDisposeScope();
    }
}
