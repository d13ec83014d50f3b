using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Runtime;
using PeftOps.Training.Data;
using static TorchSharp.torch;

namespace PeftOps.Training.Trainer;

/// <summary>
/// <c>training.preserve_embeddings</c>: the base model's sentence embedding of every training text, taken once before
/// the adapter exists, and the loss that keeps the adapted encoder near them, weight x mean(1 - cosine). Distillation
/// of the frozen model's own features (as in Learning without Forgetting, Li and Hoiem 2016) rather than of its logits:
/// what an adapter must not break outside its task here is the embedding space, which the classification loss alone
/// is free to move.
/// </summary>
public sealed class EmbeddingAnchor : IDisposable
{
    private readonly Tensor anchors; // [N, H], L2-normalised, on the training device

    private EmbeddingAnchor(Tensor anchors, double weight)
    {
        this.anchors = anchors;
        Weight = weight;
    }

    public double Weight { get; }

    /// <summary>Embeds every training example with <paramref name="model"/> as it is now (call it before adding the adapter), in eval mode.</summary>
    public static EmbeddingAnchor Take(TransformerModel model, ITrainingData data, int batchSize, Device device, double weight)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var wasTraining = model.Module.training;
        model.Module.eval();
        using var _ = no_grad();
        var parts = new List<Tensor>();
        try
        {
            for (var start = 0; start < data.Lengths.Count; start += batchSize)
            {
                var indices = Enumerable.Range(start, Math.Min(batchSize, data.Lengths.Count - start)).ToArray();
                using var batch = data.Encode(model, indices, device);
                parts.Add(model.Embed(batch.InputIds, batch.AttentionMask));
            }
            return new EmbeddingAnchor(cat(parts, 0), weight);
        }
        finally
        {
            foreach (var part in parts)
                part.Dispose();
            model.Module.train(wasTraining);
        }
    }

    /// <summary>weight x mean over the batch of (1 - cos(embedding, anchor)); both sides are unit vectors.</summary>
    public Tensor Loss(Tensor embeddings, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(indices);
        using var scope = NewDisposeScope();
        using var rows = tensor(indices.Select(i => (long)i).ToArray(), device: anchors.device);
        var cosine = (embeddings * anchors.index_select(0, rows)).sum(-1);
        return cosine.OneMinus().mean().mul(HeldScalars.Of(Weight)).MoveToOuterDisposeScope();
    }

    public void Dispose() => anchors.Dispose();
}
