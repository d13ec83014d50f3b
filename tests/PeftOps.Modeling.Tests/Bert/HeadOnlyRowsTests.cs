using PeftOps.Modeling.Checkpoints;
using PeftOps.TestSupport;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Tests.Bert;

/// <summary>
/// Rows marked head-only (an oos-class adapter's out-of-scope messages with <c>scope.out_of_scope.head_only</c>) give
/// the same logits, train the pooler and classifier like every row, and leave the encoder's gradient to the other rows.
/// </summary>
public sealed class HeadOnlyRowsTests
{
    [Fact]
    public void Head_only_rows_reach_the_head_but_not_the_encoder()
    {
        using var model = ModelLoader.Load(Path.Combine(TestPaths.HfPeftFixtures, "tiny-bert"));
        model.Module.eval(); // no dropout: every pass below computes the same function
        var ids = tensor(new long[,] { { 1, 17, 42, 7, 99, 3 }, { 1, 5, 64, 8, 300, 0 }, { 1, 250, 11, 19, 0, 0 }, { 1, 33, 71, 2, 0, 0 } });
        var mask = tensor(new long[,] { { 1, 1, 1, 1, 1, 1 }, { 1, 1, 1, 1, 1, 0 }, { 1, 1, 1, 1, 0, 0 }, { 1, 1, 1, 1, 0, 0 } });
        var labels = tensor(new long[] { 1, 0, 1, 0 });
        var headOnly = tensor(new[] { false, true, false, true });

        var (masked, maskedGrads) = Gradients(model, l => l.mean(), headOnly, ids, mask, labels);
        // without the mask: the head sees every row's loss; the encoder should see only rows 0 and 2, at the mean's 1/4 weight
        var (plain, allGrads) = Gradients(model, l => l.mean(), null, ids, mask, labels);
        var (_, inScopeGrads) = Gradients(model, l => l.index(tensor(new long[] { 0, 2 })).sum() / 4, null, ids, mask, labels);

        TensorAssert.Close(plain, masked, 1e-6, "logits");
        var head = maskedGrads.Keys.Where(n => n.Contains("pooler", StringComparison.Ordinal) || n.StartsWith("classifier", StringComparison.Ordinal)).ToList();
        var encoder = maskedGrads.Keys.Where(n => n.Contains("encoder.layer", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(head);
        Assert.NotEmpty(encoder);
        foreach (var name in head)
            TensorAssert.Close(allGrads[name], maskedGrads[name], 1e-6, name);
        foreach (var name in encoder)
            TensorAssert.Close(inScopeGrads[name], maskedGrads[name], 1e-6, name);
        // and the mask did something: without it the head-only rows move most encoder weights (a key bias never has a gradient)
        var moved = encoder.Count(name => (allGrads[name] - maskedGrads[name]).abs().max().item<float>() > 1e-6);
        Assert.True(moved > encoder.Count * 3 / 4, $"the head-only rows changed {moved} of {encoder.Count} encoder gradients");
    }

    private static (Tensor Logits, Dictionary<string, Tensor> Grads) Gradients(
        TransformerModel model, Func<Tensor, Tensor> reduce, Tensor? headOnly, Tensor ids, Tensor mask, Tensor labels)
    {
        foreach (var p in model.Module.parameters())
            p.grad = null;
        var logits = model.Logits(ids, mask, headOnly);
        reduce(nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.None)).backward();
        var grads = model.Module.named_parameters().Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        return (logits.detach(), grads);
    }
}
