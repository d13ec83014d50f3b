using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Layers;
using PeftOps.TestSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Tests.Layers;

/// <summary>
/// Activation checkpointing changes memory, not arithmetic: with it on, the loss and every gradient are those of the
/// plain forward and backward, dropout included (the recomputation replays the generator's state).
/// </summary>
[Collection(GlobalRngCollection.Name)]
public sealed class ActivationCheckpointTests
{
    private const double RelativeTolerance = 1e-5;

    [Fact]
    public void The_block_runs_again_in_backward_and_gives_the_plain_gradients()
    {
        using var scope = NewDisposeScope();
        var (weight, x) = (randn(5, 3, generator: new Generator(1)).requires_grad_(), randn(2, 4, 3, generator: new Generator(2)).requires_grad_());
        var calls = 0;
        Tensor Body(Tensor h, IReadOnlyList<Tensor> c)
        {
            calls++;
            return tanh(nn.functional.linear(h, weight)) * c[0];
        }
        var scale = full(5, 0.5);

        Body(x, [scale]).pow(2).sum().backward();
        var (plainX, plainW) = (x.grad!.clone(), weight.grad!.clone());
        x.grad!.zero_();
        weight.grad!.zero_();
        calls = 0;
        var y = ActivationCheckpoint.Run(Body, x, [scale], [weight]);
        Assert.Equal(1, calls);
        y.pow(2).sum().backward();

        Assert.Equal(2, calls);
        AssertClose(plainX, x.grad!, "x.grad");
        AssertClose(plainW, weight.grad!, "weight.grad");
    }

    [Fact]
    public void Without_autograd_the_block_runs_once_as_it_is()
    {
        using var scope = NewDisposeScope();
        var weight = randn(5, 3).requires_grad_();
        var x = randn(2, 3);
        var calls = 0;
        using var _ = no_grad();

        var y = ActivationCheckpoint.Run((h, _) => { calls++; return nn.functional.linear(h, weight); }, x, [], [weight]);

        Assert.Equal(1, calls);
        Assert.False(y.requires_grad);
    }

    [Fact]
    public void Parameters_get_gradients_when_the_input_needs_none()
    {
        // a decoder's first layer: its input comes from a frozen embedding, its LoRA matrices train
        using var scope = NewDisposeScope();
        var weight = randn(5, 3, generator: new Generator(3)).requires_grad_();
        var x = randn(4, 3, generator: new Generator(4));
        Tensor Body(Tensor h, IReadOnlyList<Tensor> _) => nn.functional.gelu(nn.functional.linear(h, weight));

        Body(x, []).sum().backward();
        var plain = weight.grad!.clone();
        weight.grad!.zero_();
        ActivationCheckpoint.Run(Body, x, [], [weight]).sum().backward();

        AssertClose(plain, weight.grad!, "weight.grad");
        Assert.Null(x.grad);
    }

    [Fact]
    public void Dropout_in_the_recomputation_drops_what_the_forward_dropped()
    {
        using var scope = NewDisposeScope();
        var weight = randn(16, 16, generator: new Generator(5)).requires_grad_();
        var x = randn(8, 16, generator: new Generator(6)).requires_grad_();
        Tensor Body(Tensor h, IReadOnlyList<Tensor> _) => nn.functional.dropout(nn.functional.linear(h, weight), 0.5, training: true);

        manual_seed(11);
        Body(x, []).pow(2).sum().backward();
        var after = get_rng_state();
        var (plainX, plainW) = (x.grad!.clone(), weight.grad!.clone());
        x.grad!.zero_();
        weight.grad!.zero_();
        manual_seed(11);
        ActivationCheckpoint.Run(Body, x, [], [weight]).pow(2).sum().backward();

        AssertClose(plainX, x.grad!, "x.grad");
        AssertClose(plainW, weight.grad!, "weight.grad");
        // the recomputation put the generator back: what comes next draws as it would have
        Assert.Equal(after.data<byte>().ToArray(), get_rng_state().data<byte>().ToArray());
    }

    [Theory]
    [InlineData("llama")]
    [InlineData("qwen2")]   // q, k, v biases, tied embeddings
    [InlineData("mistral")] // sliding window narrower than the sequence
    [InlineData("bert")]    // encoder layers, dropout 0.1 in training mode
    public void A_model_with_checkpointed_layers_has_the_plain_loss_and_gradients(string family)
    {
        using var temp = new TempDirectory();
        using var model = Load(family, temp);
        var (ids, mask, labels) = Batch(model);
        model.Module.train();

        var (plainLoss, plainGrads) = LossAndGradients(model, ids, mask, labels, checkpointing: false);
        var (loss, grads) = LossAndGradients(model, ids, mask, labels, checkpointing: true);

        Assert.True(model.GradientCheckpointing);
        Assert.Equal(plainLoss, loss, plainLoss * RelativeTolerance);
        Assert.Equal(plainGrads.Keys, grads.Keys);
        Assert.True(plainGrads.Count > 10, $"{plainGrads.Count} parameters with gradients");
        foreach (var (name, grad) in plainGrads)
            AssertClose(grad, grads[name], name);
    }

    private static TransformerModel Load(string family, TempDirectory temp)
    {
        if (family == "bert")
            return ModelLoader.Load(Path.Combine(TestPaths.HfPeftFixtures, "tiny-bert"), new ModelLoadOptions { Dropout = 0.1 });
        if (family == "llama")
            return ModelLoader.Load(Path.Combine(TestPaths.HfPeftFixtures, "tiny-llama"));
        var shape = SyntheticCheckpoint.Shapes[family == "qwen2" ? "qwen2.5-0.5b" : "mistral-7b"] with
        {
            VocabSize = 600, HiddenSize = 32, IntermediateSize = 48, Layers = 3, Heads = 4, KvHeads = 2,
        };
        if (family == "mistral")
            shape = shape with { SlidingWindow = 3 };
        SyntheticCheckpoint.Write(temp.Path, shape, ScalarType.Float32, seed: 9);
        var model = ModelLoader.Load(temp.Path);
        if (family == "qwen2")
        {
            // the written biases are zero: give them values, so their use in the recomputation counts
            using var _ = no_grad();
            foreach (var (name, p) in model.Module.named_parameters().Where(p => p.name.EndsWith(".bias", StringComparison.Ordinal)))
                p.copy_(randn(p.shape, generator: new Generator(10)) * 0.1);
        }
        return model;
    }

    /// <summary>Two rows, the second padded at the end, and labels for the task.</summary>
    private static (Tensor Ids, Tensor Mask, Tensor? Labels) Batch(TransformerModel model)
    {
        var ids = tensor(new long[,] { { 1, 17, 42, 7, 99, 3, 250, 11 }, { 1, 5, 64, 8, 300, 0, 0, 0 } });
        var mask = tensor(new long[,] { { 1, 1, 1, 1, 1, 1, 1, 1 }, { 1, 1, 1, 1, 1, 0, 0, 0 } });
        return (ids, mask, model.Architecture == ModelArchitecture.BertSequenceClassifier ? tensor(new long[] { 1, 3 }) : null);
    }

    private static (double Loss, Dictionary<string, Tensor> Grads) LossAndGradients(TransformerModel model, Tensor ids, Tensor mask, Tensor? labels, bool checkpointing)
    {
        model.GradientCheckpointing = checkpointing;
        foreach (var p in model.Module.parameters())
            p.grad = null;
        manual_seed(21); // dropout
        using var scope = NewDisposeScope();
        var loss = model.Loss(model.Logits(ids, mask), labels, ids, mask);
        loss.backward();
        var grads = model.Module.named_parameters().Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.clone().DetachFromDisposeScope());
        return (loss.item<float>(), grads);
    }

    /// <summary>max |expected - actual| within 1e-5 of max |expected| (and of 1e-12, for an all-zero gradient).</summary>
    private static void AssertClose(Tensor expected, Tensor actual, string what) =>
        TensorAssert.Close(expected, actual, Math.Max(1e-12, RelativeTolerance * expected.abs().max().item<float>()), what);
}
