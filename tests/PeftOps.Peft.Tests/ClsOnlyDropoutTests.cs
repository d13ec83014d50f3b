using System.Text.Json.Nodes;
using PeftOps.Modeling.Bert;
using PeftOps.Modeling.Checkpoints;
using PeftOps.TestSupport;
using static TorchSharp.torch;

namespace PeftOps.Peft.Tests;

/// <summary>
/// In training, a classifier's top layer computes only the [CLS] row (<see cref="BertModel.Pooled"/>) and drops it as
/// the whole layer would: with the same seed, the same logits and the same LoRA gradients as the pass through every
/// row, with BERT's hidden and attention dropout and LoRA's dropout all at work.
/// </summary>
[Collection(GlobalRngCollection.Name)]
public sealed class ClsOnlyDropoutTests
{
    [Theory]
    [InlineData(6)]
    [InlineData(7)] // odd: the [CLS] probability rows start on odd draws
    public void The_cls_row_alone_drops_as_the_whole_top_layer_does(int tokens)
    {
        using var folder = new TempDirectory();
        using var model = TinyBertWithDropout(folder, 0.2);
        var peft = new PeftModel(model);
        peft.AddAdapter("a", LoraOptionsTests.Lora("query", "value") with { LoraDropout = 0.3, InitLoraWeights = Format.PeftInit.Gaussian }, new Generator(3));
        var classifier = (BertForSequenceClassification)model.Module;
        model.Module.train();
        var ids = randint(5, 500, [4, tokens], generator: new Generator(4));
        ids[TensorIndex.Colon, 0] = tensor(2L);
        var mask = ones_like(ids);
        mask[3, TensorIndex.Slice(tokens - 2)] = tensor(0L);
        var labels = tensor(new long[] { 0, 1, 2, 1 });

        var (whole, wholeGrads) = Run(peft, 11, () => classifier.ForwardWithEmbeddings(ids, mask, null).Logits, labels);
        var (clsOnly, clsGrads) = Run(peft, 11, () => model.Logits(ids, mask), labels);
        var (reseeded, _) = Run(peft, 12, () => model.Logits(ids, mask), labels);

        TensorAssert.Close(whole, clsOnly, 1e-5, "train-mode logits");
        foreach (var (name, grad) in wholeGrads)
            TensorAssert.Close(grad, clsGrads[name], 1e-5, name);
        Assert.True((reseeded - clsOnly).abs().max().item<float>() > 1e-3, "another seed must draw other masks");
    }

    /// <summary>tests/data/hf-peft's tiny BERT with its hidden and attention dropout at <paramref name="p"/> (it has none).</summary>
    private static TransformerModel TinyBertWithDropout(TempDirectory folder, double p)
    {
        var source = Path.Combine(TestPaths.HfPeftFixtures, "tiny-bert");
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "config.json")))!;
        config["hidden_dropout_prob"] = p;
        config["attention_probs_dropout_prob"] = p;
        File.WriteAllText(folder.Combine("config.json"), config.ToJsonString());
        File.Copy(Path.Combine(source, "model.safetensors"), folder.Combine("model.safetensors"));
        return ModelLoader.Load(folder.Path);
    }

    private static (Tensor Logits, Dictionary<string, Tensor> Grads) Run(PeftModel peft, int seed, Func<Tensor> logits, Tensor labels)
    {
        var trainable = peft.TrainableParameters().ToList();
        foreach (var p in trainable)
            p.Parameter.grad = null;
        manual_seed(seed);
        var output = logits();
        nn.functional.cross_entropy(output, labels).backward();
        return (output.detach(), trainable.ToDictionary(p => p.Name, p => p.Parameter.grad!.clone()));
    }
}
