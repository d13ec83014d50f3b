using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Layers;

/// <summary>
/// Activation checkpointing (PyTorch's <c>torch.utils.checkpoint</c>, transformers' <c>gradient_checkpointing</c>) for
/// one block <c>y = body(x, constants)</c>: the forward runs without autograd, so none of the block's intermediate
/// activations stay alive; only <c>x</c> and the constants (masks, rotary angles) are kept. When the gradient of
/// <c>y</c> arrives, the block runs again from the kept input with autograd on and is differentiated there: the
/// gradient of <c>x</c> goes on down the graph, and those of the block's trainable parameters go to the parameters'
/// <c>.grad</c> through the same graph edges a plain forward would have made. Cost: one more forward of the block.
/// <para>
/// The recomputation draws the same random numbers as the first pass (dropout masks): on the CPU the default
/// generator's state is taken before the block and set again for the recomputation, then put back. TorchSharp 0.107
/// cannot read or set a CUDA generator's state, so on other devices the block instead seeds the device's generator
/// with a value drawn from the CPU generator, before the forward and again before the recomputation: the masks of
/// the two passes agree, but they are not the masks the same seed gives without checkpointing.
/// </para>
/// </summary>
public static class ActivationCheckpoint
{
    /// <param name="body">The block: a pure function of its input, the constants and its own parameters.</param>
    /// <param name="input">[B, T, H] or any shape: the tensor whose gradient flows back through the block.</param>
    /// <param name="constants">Tensors the block reads but needs no gradient for; kept for the recomputation.</param>
    /// <param name="parameters">
    /// The block's parameters that need a gradient (typically <c>module.parameters().Where(p =&gt; p.requires_grad)</c>).
    /// A parameter left out gets no gradient from this block; those that need none are skipped.
    /// </param>
    /// <returns>body(input, constants), attached to the autograd graph when a gradient is wanted.</returns>
    public static Tensor Run(Func<Tensor, IReadOnlyList<Tensor>, Tensor> body, Tensor input, IReadOnlyList<Tensor> constants, IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(constants);
        ArgumentNullException.ThrowIfNull(parameters);
        var trainable = parameters.Where(p => p.requires_grad).ToArray();
        if (!is_grad_enabled() || (!input.requires_grad && trainable.Length == 0))
            return body(input, constants);
        ReturnedGradients.Release();
        object[] args = [new CheckpointFunction.Block(body, constants.Count), input, .. constants, .. trainable];
        return CheckpointFunction.apply(args);
    }
}
