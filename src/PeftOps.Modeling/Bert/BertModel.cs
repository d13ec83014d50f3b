using PeftOps.Modeling.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Bert;

/// <summary>Hugging Face's <c>BertModel</c>: embeddings, encoder and pooler, with its state-dict names.</summary>
public sealed class BertModel : nn.Module<Tensor, Tensor, (Tensor LastHidden, Tensor Pooled)>
{
    private readonly BertEmbeddings embeddings;
    private readonly BertEncoder encoder;
    private readonly BertPooler pooler;

    public BertModel(BertConfig config) : base(nameof(BertModel))
    {
        Config = config;
        embeddings = new BertEmbeddings(config);
        encoder = new BertEncoder(config);
        pooler = new BertPooler(config);
        RegisterComponents();
    }

    public BertConfig Config { get; }

    /// <param name="inputIds">[B, T] int64</param>
    /// <param name="attentionMask">[B, T], 1 for tokens and 0 for padding</param>
    /// <returns>last hidden state [B, T, H] and pooled [CLS] output [B, H]</returns>
    public override (Tensor LastHidden, Tensor Pooled) forward(Tensor inputIds, Tensor attentionMask) =>
        forward(inputIds, attentionMask, headOnlyRows: null);

    /// <param name="headOnlyRows">[B] bool or null: rows whose gradient stops at the last hidden state, so that they
    /// train the pooler (and what comes after it) but not the encoder.</param>
    public (Tensor LastHidden, Tensor Pooled) forward(Tensor inputIds, Tensor attentionMask, Tensor? headOnlyRows)
    {
        using var scope = NewDisposeScope();
        var (hidden, pooled) = Encode(inputIds, attentionMask, headOnlyRows, clsOnly: false);
        return (hidden.MoveToOuterDisposeScope(), pooled.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The pooled output alone, [B, H]: the same values as <see cref="forward(Tensor, Tensor, Tensor?)"/>'s, for less
    /// work, because the top layer computes only the [CLS] position the pooler reads (every position still attends
    /// below it, and is a key and a value in it). A classifier's logits need nothing else.
    /// </summary>
    public Tensor Pooled(Tensor inputIds, Tensor attentionMask, Tensor? headOnlyRows)
    {
        using var scope = NewDisposeScope();
        return Encode(inputIds, attentionMask, headOnlyRows, clsOnly: true).Pooled.MoveToOuterDisposeScope();
    }

    private (Tensor Hidden, Tensor Pooled) Encode(Tensor inputIds, Tensor attentionMask, Tensor? headOnlyRows, bool clsOnly)
    {
        var hidden = encoder.forward(embeddings.forward(inputIds), AdditiveMask(attentionMask, embeddings.parameters().First().dtype), clsOnly);
        var toPooler = headOnlyRows is null ? hidden : where(headOnlyRows.view(-1, 1, 1), hidden.detach(), hidden);
        return (hidden, pooler.forward(toPooler));
    }

    /// <summary>[B, T] -> [B, 1, 1, T]: 0 where attended, the dtype's most negative value where masked.</summary>
    public static Tensor AdditiveMask(Tensor attentionMask, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var keep = attentionMask.to(dtype).unsqueeze(1).unsqueeze(2);
        return keep.OneMinus().mul(HeldScalars.Of(finfo(dtype).min)).MoveToOuterDisposeScope();
    }

    /// <summary>[B, T, H] -> [B, H]: the mean over attended tokens, L2-normalised (sentence-transformers' pooling).</summary>
    public static Tensor MeanPoolNormalized(Tensor lastHidden, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var mask = attentionMask.to(lastHidden.dtype).unsqueeze(-1);
        var summed = (lastHidden * mask).sum(1);
        var counts = mask.sum(1).clamp_min(HeldScalars.Of(1e-9));
        return nn.functional.normalize(summed / counts, p: 2, dim: 1).MoveToOuterDisposeScope();
    }
}
