using PeftOps.Modeling.Bert;
using PeftOps.Modeling.Layers;
using PeftOps.Modeling.Llama;
using PeftOps.Modeling.Runtime;
using PeftOps.Modeling.Tokenization;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Checkpoints;

/// <summary>A loaded base model: the TorchSharp module, where it came from, and its task-level operations.</summary>
public sealed class TransformerModel : IDisposable
{
    internal TransformerModel(nn.Module module, ModelArchitecture architecture, ModelSource source)
    {
        Module = module;
        Architecture = architecture;
        Source = source;
    }

    public nn.Module Module { get; }
    public ModelArchitecture Architecture { get; }
    public ModelSource Source { get; }
    public BertConfig? Bert { get; init; }
    public LlamaConfig? Llama { get; init; }
    public BertWordPieceTokenizer? Tokenizer { get; init; }
    /// <summary>A decoder's tokenizer (tokenizer.model, else tokenizer.json), when the checkpoint has one.</summary>
    public IDecoderTokenizer? DecoderTokenizer { get; init; }

    /// <summary>Class labels of a sequence classifier, in id order; empty otherwise.</summary>
    public IReadOnlyList<string> Labels => Architecture == ModelArchitecture.BertSequenceClassifier ? Bert!.Labels : [];

    public Device Device => Module.parameters().First().device;

    /// <summary>
    /// Activation checkpointing of every encoder or decoder layer (transformers' <c>gradient_checkpointing_enable()</c>):
    /// in training mode with autograd on, each layer keeps only its input and is recomputed in the backward pass.
    /// The same losses and gradients; less memory, about one more forward pass per step.
    /// </summary>
    public bool GradientCheckpointing
    {
        get => Module.modules().Any(m => m is LlamaModel { GradientCheckpointing: true } or BertEncoder { GradientCheckpointing: true });
        set
        {
            foreach (var m in Module.modules())
            {
                if (m is LlamaModel llama)
                    llama.GradientCheckpointing = value;
                else if (m is BertEncoder bert)
                    bert.GradientCheckpointing = value;
            }
        }
    }

    /// <summary>Parameters, each counted once: a tied lm_head shares the embedding's storage, as transformers counts it.</summary>
    public long ParameterCount => Module.parameters().Sum(p => p.numel())
        - (Llama is { TieWordEmbeddings: true } tied ? (long)tied.VocabSize * tied.HiddenSize : 0);

    /// <summary>
    /// Classifier: [B, labels]; causal LM: [B, T, vocab]; bare encoder: the last hidden state [B, T, H].
    /// </summary>
    /// <param name="headOnlyRows">Classifier only: [B] bool rows that train the head but not the encoder (see
    /// <see cref="BertModel.forward(Tensor, Tensor, Tensor?)"/>); null for none. Logits are the same either way.</param>
    public Tensor Logits(Tensor inputIds, Tensor attentionMask, Tensor? headOnlyRows = null) => Module switch
    {
        BertForSequenceClassification m => m.forward(inputIds, attentionMask, headOnlyRows),
        LlamaForCausalLM m => m.forward(inputIds, attentionMask),
        BertModel m => m.forward(inputIds, attentionMask).LastHidden,
        _ => throw new InvalidOperationException($"unexpected module {Module.GetType().Name}"),
    };

    /// <summary>
    /// Classifier: cross-entropy against [B] labels. Causal LM: next-token loss against [B, T] labels,
    /// or, when <paramref name="labels"/> is null, against the inputs with padding set to -100.
    /// </summary>
    public Tensor Loss(Tensor logits, Tensor? labels, Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        Tensor loss = Architecture switch
        {
            ModelArchitecture.BertSequenceClassifier when labels is null => throw new ArgumentNullException(nameof(labels)),
            ModelArchitecture.BertSequenceClassifier when logits.shape[^1] == 1 =>
                nn.functional.mse_loss(logits.squeeze(-1), labels.to(logits.dtype)),
            ModelArchitecture.BertSequenceClassifier => nn.functional.cross_entropy(logits, labels),
            ModelArchitecture.LlamaCausalLm => LlamaForCausalLM.NextTokenLoss(logits,
                labels ?? inputIds.masked_fill(attentionMask.eq(HeldScalars.Of(0L)), HeldScalars.Of(-100L))),
            _ => throw new InvalidOperationException("a bare encoder has no loss"),
        };
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>Classifier only: <see cref="Logits"/> and <see cref="Embed"/> from one forward pass of the encoder.</summary>
    public (Tensor Logits, Tensor Embeddings) LogitsAndEmbeddings(Tensor inputIds, Tensor attentionMask, Tensor? headOnlyRows = null) =>
        Module is BertForSequenceClassification m
            ? m.ForwardWithEmbeddings(inputIds, attentionMask, headOnlyRows)
            : throw new InvalidOperationException("logits and sentence embeddings together need a BERT sequence classifier");

    /// <summary>Classifier only: <see cref="Logits"/> and the pooled features [B, H] the classifier head reads, from one pass.</summary>
    public (Tensor Logits, Tensor Pooled) LogitsAndPooled(Tensor inputIds, Tensor attentionMask) =>
        Module is BertForSequenceClassification m
            ? m.ForwardWithPooled(inputIds, attentionMask)
            : throw new InvalidOperationException("logits and pooled features need a BERT sequence classifier");

    /// <summary>Mean-pooled, L2-normalised sentence embeddings [B, H] from the BERT encoder.</summary>
    public Tensor Embed(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var encoder = Module switch
        {
            BertForSequenceClassification m => m.Encoder,
            BertModel m => m,
            _ => throw new InvalidOperationException("sentence embeddings need a BERT encoder"),
        };
        var (hidden, _) = encoder.forward(inputIds, attentionMask);
        return BertModel.MeanPoolNormalized(hidden, attentionMask).MoveToOuterDisposeScope();
    }

    /// <summary>Every linear layer, by its full Hugging Face module name.</summary>
    public IEnumerable<(string Name, AdaptableLinear Layer)> LinearLayers() =>
        Module.named_modules().Where(m => m.module is AdaptableLinear).Select(m => (m.name, (AdaptableLinear)m.module));

    public void Dispose() => Module.Dispose();
}

/// <param name="Reference">As the user wrote it: <c>builtin:all-MiniLM-L6-v2</c> or a folder.</param>
/// <param name="Folder">The checkpoint folder the weights were read from (for builtin models, the cache).</param>
/// <param name="Sha256">sha256 of the weights: of model.safetensors, or of the sorted shard hashes for a sharded checkpoint.</param>
public sealed record ModelSource(string Reference, string Folder, string Sha256, string Description);
