using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Layers;

/// <summary>
/// The autograd node behind <see cref="ActivationCheckpoint"/>. Its inputs are
/// <c>[block, x, constants..., parameters...]</c>; its backward recomputes the block from the saved <c>x</c> and
/// returns the gradients of <c>x</c> and of every parameter (none for the block description and the constants).
/// </summary>
internal sealed class CheckpointFunction : autograd.SingleTensorFunction<CheckpointFunction>
{
    public override string Name => nameof(CheckpointFunction);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        // runs with autograd off (Function.apply): no intermediate activation of the block is kept
        var block = (Block)vars[0];
        var input = (Tensor)vars[1];
        var constants = vars[2..(2 + block.Constants)].Cast<Tensor>().ToArray();
        var parameters = vars[(2 + block.Constants)..].Cast<Tensor>().ToArray();
        ctx.save_for_backward([input, .. constants]);
        ctx.save_data(nameof(Replay), new Replay(block.Body, parameters, input.requires_grad, RandomState.Start(input.device)));
        return block.Body(input, constants);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        ReturnedGradients.Release();
        var replay = (Replay)ctx.get_data(nameof(Replay));
        var result = new List<Tensor>();
        using (var scope = NewDisposeScope())
        {
            var saved = ctx.get_saved_variables();
            var constants = saved.Skip(1).ToArray();
            Tensor[] grads;
            using (enable_grad())
            {
                using var random = replay.Random.Replay();
                var x = saved[0].detach().requires_grad_(replay.InputNeedsGrad);
                var y = replay.Body(x, constants);
                Tensor[] wrt = replay.InputNeedsGrad ? [x, .. replay.Parameters] : replay.Parameters;
                grads = [.. autograd.grad([y], wrt, [grad_output], retain_graph: false, create_graph: false, allow_unused: true)];
            }
            var inputGrad = replay.InputNeedsGrad ? ReturnedGradients.Keep(grads[0]) : null;
            var parameterGrads = grads.Skip(replay.InputNeedsGrad ? 1 : 0).Select(ReturnedGradients.Keep);
            // one gradient per input of apply: none for the block and the constants
            result.AddRange([null!, inputGrad!, .. constants.Select(_ => (Tensor)null!), .. parameterGrads]);
        }
        grad_output.Dispose(); // libtorch handed over a new reference for this call; nothing reads it after us
        return result;
    }

    /// <summary>The block and how many of apply's inputs after x are constants (the rest are parameters).</summary>
    internal sealed record Block(Func<Tensor, IReadOnlyList<Tensor>, Tensor> Body, int Constants);

    private sealed record Replay(Func<Tensor, IReadOnlyList<Tensor>, Tensor> Body, Tensor[] Parameters, bool InputNeedsGrad, RandomState Random);

    /// <summary>The random state a block's forward started from, so its recomputation draws the same numbers.</summary>
    private sealed class RandomState
    {
        private readonly byte[]? cpuState;
        private readonly long? cudaSeed;

        private RandomState(byte[]? cpuState, long? cudaSeed) => (this.cpuState, this.cudaSeed) = (cpuState, cudaSeed);

        /// <summary>CPU: takes the generator's state. CUDA: seeds the device generators from the CPU generator.</summary>
        public static RandomState Start(Device device)
        {
            if (device.type == DeviceType.CPU)
            {
                using var state = get_rng_state();
                return new RandomState(state.data<byte>().ToArray(), null);
            }
            if (device.type == DeviceType.CUDA)
            {
                using var draw = randint(0, long.MaxValue, [1], dtype: ScalarType.Int64);
                var seed = draw.item<long>();
                cuda.manual_seed_all(seed);
                return new RandomState(null, seed);
            }
            return new RandomState(null, null);
        }

        /// <summary>Sets the state the forward started from; disposing puts the CPU generator back where it was.</summary>
        public IDisposable Replay()
        {
            if (cudaSeed is { } seed)
                cuda.manual_seed_all(seed);
            if (cpuState is null)
                return new Restore(null);
            var now = get_rng_state().DetachFromDisposeScope();
            using (var then = tensor(cpuState))
                set_rng_state(then);
            return new Restore(now);
        }

        private sealed class Restore(Tensor? state) : IDisposable
        {
            public void Dispose()
            {
                if (state is null)
                    return;
                set_rng_state(state);
                state.Dispose();
            }
        }
    }
}
