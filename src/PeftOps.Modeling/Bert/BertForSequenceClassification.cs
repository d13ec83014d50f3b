using PeftOps.Modeling.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Bert;

/// <summary>Hugging Face's <c>BertForSequenceClassification</c>: classifier(dropout(pooled)) -> [B, labels].</summary>
public sealed class BertForSequenceClassification : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly BertModel bert;
    private readonly CounterDropout dropout;
    private readonly AdaptableLinear classifier;

    public BertForSequenceClassification(BertConfig config) : base(nameof(BertForSequenceClassification))
    {
        Config = config;
        bert = new BertModel(config);
        dropout = new CounterDropout(config.ClassifierDropout ?? config.HiddenDropoutProb);
        classifier = new AdaptableLinear(config.HiddenSize, config.Labels.Count);
        RegisterComponents();
    }

    public BertConfig Config { get; }

    public BertModel Encoder => bert;

    public override Tensor forward(Tensor inputIds, Tensor attentionMask) => forward(inputIds, attentionMask, headOnlyRows: null);

    /// <param name="headOnlyRows">[B] bool or null: rows that train the head (pooler and classifier) but not the encoder.</param>
    public Tensor forward(Tensor inputIds, Tensor attentionMask, Tensor? headOnlyRows)
    {
        using var scope = NewDisposeScope();
        return Head(bert.Pooled(inputIds, attentionMask, headOnlyRows)).MoveToOuterDisposeScope();
    }

    /// <summary>One encoder pass for the logits and the pooled features [B, H] the classifier reads.</summary>
    public (Tensor Logits, Tensor Pooled) ForwardWithPooled(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var pooled = bert.Pooled(inputIds, attentionMask, null);
        return (Head(pooled).MoveToOuterDisposeScope(), pooled.MoveToOuterDisposeScope());
    }

    /// <summary>One encoder pass for both outputs: the logits, and the sentence embeddings [B, H] of <see cref="BertModel.MeanPoolNormalized"/>.</summary>
    public (Tensor Logits, Tensor Embeddings) ForwardWithEmbeddings(Tensor inputIds, Tensor attentionMask, Tensor? headOnlyRows)
    {
        using var scope = NewDisposeScope();
        var (hidden, pooled) = bert.forward(inputIds, attentionMask, headOnlyRows);
        return (Head(pooled).MoveToOuterDisposeScope(), BertModel.MeanPoolNormalized(hidden, attentionMask).MoveToOuterDisposeScope());
    }

    private Tensor Head(Tensor pooled) => classifier.forward(dropout.forward(pooled));

    /// <summary>Initialises the classifier as transformers does for a new head: N(0, 0.02) weights, zero bias.</summary>
    public void InitializeClassifier(Generator generator)
    {
        using var _ = no_grad();
        classifier.weight.normal_(0.0, 0.02, generator);
        classifier.bias!.zero_();
    }
}
