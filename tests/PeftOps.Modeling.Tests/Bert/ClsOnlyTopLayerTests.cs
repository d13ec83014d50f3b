using PeftOps.Modeling.Bert;
using PeftOps.Modeling.Checkpoints;
using PeftOps.TestSupport;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Tests.Bert;

/// <summary>
/// A classifier's logits come from <see cref="BertModel.Pooled"/>, whose top layer computes only the [CLS] row the
/// pooler reads. Against the whole top layer (the pass that also gives the sentence embeddings): the same logits and
/// the same gradient for every parameter, with activation checkpointing too; the top layer's other rows were never
/// needed.
/// </summary>
public sealed class ClsOnlyTopLayerTests
{
    private static readonly Tensor Ids = tensor(new long[,] { { 1, 17, 42, 7, 99, 3 }, { 1, 5, 64, 8, 300, 0 }, { 1, 250, 11, 19, 0, 0 } });
    private static readonly Tensor Mask = tensor(new long[,] { { 1, 1, 1, 1, 1, 1 }, { 1, 1, 1, 1, 1, 0 }, { 1, 1, 1, 1, 0, 0 } });
    private static readonly Tensor Labels = tensor(new long[] { 1, 0, 1 });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_cls_row_alone_gives_the_whole_layers_logits_and_gradients(bool checkpointing)
    {
        using var model = ModelLoader.Load(Path.Combine(TestPaths.HfPeftFixtures, "tiny-bert"));
        model.Module.eval(); // no dropout, so both passes compute one function; autograd stays on
        model.GradientCheckpointing = checkpointing;
        var classifier = (BertForSequenceClassification)model.Module;

        var (whole, wholeGrads) = Gradients(model, () => classifier.ForwardWithEmbeddings(Ids, Mask, null).Logits);
        var (clsOnly, clsGrads) = Gradients(model, () => model.Logits(Ids, Mask));

        TensorAssert.Close(whole, clsOnly, 1e-6, "logits");
        Assert.Equal(wholeGrads.Keys.Order(), clsGrads.Keys.Order());
        foreach (var (name, grad) in wholeGrads)
            TensorAssert.Close(grad, clsGrads[name], 1e-6, name);
        // the top layer's own weights train from the [CLS] row: their gradients are there and not zero
        var top = $"bert.encoder.layer.{model.Bert!.NumHiddenLayers - 1}.";
        foreach (var part in new[] { "attention.self.query.weight", "attention.self.key.weight", "attention.output.dense.weight", "intermediate.dense.weight", "output.dense.weight" })
            Assert.True(clsGrads[top + part].abs().max().item<float>() > 0, $"{top + part} has no gradient");
    }

    private static (Tensor Logits, Dictionary<string, Tensor> Grads) Gradients(TransformerModel model, Func<Tensor> logits)
    {
        foreach (var p in model.Module.parameters())
            p.grad = null;
        var output = logits();
        nn.functional.cross_entropy(output, Labels).backward();
        var grads = model.Module.named_parameters().Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        return (output.detach(), grads);
    }
}
