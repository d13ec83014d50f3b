using PeftOps.Modeling.Tokenization;
using PeftOps.Training.Trainer;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftOps.Training.Tests;

/// <summary>The pieces of a training step that changed to keep scalars on the device and tokenise once.</summary>
[Collection(TorchRngCollection.Name)]
public sealed class TrainStepTests
{
    [Theory]
    [InlineData(0.5)]   // clips
    [InlineData(1e6)]   // leaves the gradients alone
    public void Clipping_on_the_device_matches_libtorchs_clip_grad_norm(double maxNorm)
    {
        var generator = new Generator(7);
        Parameter[] Fresh() => [new Parameter(zeros(3, 4)), new Parameter(zeros(5))];
        var (ours, theirs) = (Fresh(), Fresh());
        foreach (var (a, b) in ours.Zip(theirs))
        {
            var grad = randn(a.shape, generator: generator) * 3;
            a.grad = grad.clone();
            b.grad = grad.clone();
        }

        var norm = TrainStep.ClipGradNorm(ours, maxNorm);
        var expected = nn.utils.clip_grad_norm_(theirs, maxNorm);

        Assert.Equal(expected, norm.item<float>(), 5);
        foreach (var (a, b) in ours.Zip(theirs))
            Assert.True(a.grad!.allclose(b.grad!, rtol: 1e-6, atol: 1e-7));
    }

    [Fact]
    public void A_batch_padded_from_tokens_encoded_once_equals_the_batch_encoded_from_text()
    {
        var tokenizer = new BertWordPieceTokenizer(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "my", "shoes", "are", "late", "refund", "##s", "please"]);
        string[] texts = ["my shoes are late", "refunds please", "shoes"];
        long[] labels = [2, 0, 1];

        using var fromText = TextBatch.Encode(tokenizer, texts, 5, labels, CPU);
        using var fromTokens = TextBatch.Pad([.. texts.Select(t => tokenizer.Encode(t, 5).InputIds)], tokenizer.PadId, labels, CPU);

        Assert.Equal(fromText.InputIds.data<long>().ToArray(), fromTokens.InputIds.data<long>().ToArray());
        Assert.Equal(fromText.AttentionMask.data<long>().ToArray(), fromTokens.AttentionMask.data<long>().ToArray());
        Assert.Equal(fromText.Labels!.data<long>().ToArray(), fromTokens.Labels!.data<long>().ToArray());
        Assert.Equal(fromText.Tokens, fromTokens.Tokens);
        Assert.Equal([3, 5], fromTokens.InputIds.shape);
    }
}
