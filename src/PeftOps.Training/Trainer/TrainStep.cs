using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftOps.Training.Trainer;

/// <summary>
/// One optimizer step's arithmetic, exactly as <c>train</c> runs it and <c>bench</c> times it: forward, loss and
/// backward per micro-batch (scaled by the accumulation), then the learning rate, gradient clipping, AdamW and
/// zeroing the gradients. Scalars stay on the device: the loss comes back as a tensor, and clipping computes the
/// norm and its factor as tensors, so a step asks the device for nothing until its caller logs it.
/// </summary>
/// <param name="anchor"><c>training.preserve_embeddings</c>: adds its loss for the batch's examples; null for off.</param>
public sealed class TrainStep(TransformerModel model, IReadOnlyList<Parameter> parameters, optim.Optimizer optimizer, double maxGradNorm, int accumulation,
    EmbeddingAnchor? anchor = null)
{
    /// <summary>Forward and backward of one micro-batch; returns its unscaled loss, detached, on the device.</summary>
    /// <param name="indices">The batch's training examples, in row order; needed when there is an anchor.</param>
    public Tensor Backward(TextBatch batch, IReadOnlyList<int>? indices = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        Tensor loss;
        if (anchor is null)
        {
            loss = model.Loss(model.Logits(batch.InputIds, batch.AttentionMask, batch.HeadOnlyRows), batch.Labels, batch.InputIds, batch.AttentionMask);
        }
        else
        {
            ArgumentNullException.ThrowIfNull(indices);
            var (logits, embeddings) = model.LogitsAndEmbeddings(batch.InputIds, batch.AttentionMask, batch.HeadOnlyRows);
            loss = model.Loss(logits, batch.Labels, batch.InputIds, batch.AttentionMask).Plus(anchor.Loss(embeddings, indices));
        }
        loss.div(HeldScalars.Of(accumulation)).backward();
        return loss.detach().MoveToOuterDisposeScope();
    }

    /// <summary>Clips, steps and zeroes the gradients; returns the total gradient norm before clipping (0-d, on the device; zero when clipping is off).</summary>
    public Tensor Apply(double learningRate)
    {
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = learningRate;
        Tensor norm;
        using (var scope = NewDisposeScope())
        {
            norm = maxGradNorm > 0 ? ClipGradNorm(parameters, maxGradNorm).MoveToOuterDisposeScope() : zeros(1, device: model.Device).MoveToOuterDisposeScope();
        }
        optimizer.step();
        optimizer.zero_grad();
        return norm;
    }

    /// <summary>
    /// torch.nn.utils.clip_grad_norm_ (L2, as transformers' Trainer calls it) without reading the norm back:
    /// every gradient is multiplied by min(1, max_norm / (norm + 1e-6)), computed on the device.
    /// </summary>
    public static Tensor ClipGradNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        var grads = parameters.Select(p => p.grad).OfType<Tensor>().ToList();
        if (grads.Count == 0)
            return zeros(1);
        using var _ = no_grad();
        var total = linalg.norm(stack(grads.Select(g => linalg.norm(g)).ToArray())); // the L2 norm of each, flattened
        var factor = total.Plus(1e-6).reciprocal().mul(HeldScalars.Of(maxNorm)).clamp_max(HeldScalars.Of(1.0)); // min(1, maxNorm / (total + 1e-6))
        foreach (var g in grads)
            g.mul_(factor);
        return total;
    }
}
