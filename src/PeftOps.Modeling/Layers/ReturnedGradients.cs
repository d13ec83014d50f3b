using static TorchSharp.torch;

namespace PeftOps.Modeling.Layers;

/// <summary>
/// Gradients this thread's last custom backward (<see cref="CheckpointFunction"/>, <see cref="CounterDropout"/>) handed to
/// libtorch. libtorch takes a reference of its own when the callback returns, so each is released at the next custom forward
/// or backward on the thread, not at the end of the caller's dispose scope nor by the garbage collector: a step does not keep
/// one activation-sized gradient per layer until it ends.
/// </summary>
internal static class ReturnedGradients
{
    [ThreadStatic]
    private static List<Tensor>? returned;

    /// <summary>Disposes the gradients this thread's previous backward returned.</summary>
    public static void Release()
    {
        if (returned is null)
            return;
        foreach (var t in returned)
            t.Dispose();
        returned.Clear();
    }

    /// <summary>A gradient that outlives this callback (libtorch reads it after we return), released at the next one; null stays null.</summary>
    public static Tensor Keep(Tensor grad)
    {
        if (grad is null || grad.IsInvalid)
            return null!;
        grad.DetachFromDisposeScope();
        (returned ??= []).Add(grad);
        return grad;
    }
}
