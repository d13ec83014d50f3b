using PeftOps.Modeling.Checkpoints;
using PeftOps.Training.Data;
using static TorchSharp.torch;

namespace PeftOps.Training;

/// <summary>Batched inference (eval mode, no gradients) over texts: class probabilities or sentence embeddings.</summary>
public static class Predictor
{
    /// <returns>[N, labels] softmax probabilities, in the input order.</returns>
    public static float[][] Probabilities(TransformerModel model, IReadOnlyList<string> texts, int maxLength, int batchSize = 64) =>
        Rows(model, texts, maxLength, batchSize, b => nn.functional.softmax(model.Logits(b.InputIds, b.AttentionMask).to(ScalarType.Float32), -1));

    /// <returns>[N, H] mean-pooled, L2-normalised embeddings, in the input order.</returns>
    public static float[][] Embeddings(TransformerModel model, IReadOnlyList<string> texts, int maxLength, int batchSize = 64) =>
        Rows(model, texts, maxLength, batchSize, b => model.Embed(b.InputIds, b.AttentionMask).to(ScalarType.Float32));

    public static int ArgMax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
                best = i;
        }
        return best;
    }

    /// <summary>Runs <paramref name="forward"/> ([B, *] -> [B, W]) in eval mode over length-sorted batches; rows come back in input order.</summary>
    private static float[][] Rows(TransformerModel model, IReadOnlyList<string> texts, int maxLength, int batchSize, Func<TextBatch, Tensor> forward)
    {
        var tokenizer = model.Tokenizer ?? throw new Contracts.InputException($"{model.Source.Folder}: no vocab.txt, so texts cannot be tokenized");
        var result = new float[texts.Count][];
        var wasTraining = model.Module.training;
        model.Module.eval();
        using var _ = no_grad();
        foreach (var batch in Order(texts, batchSize))
        {
            using var scope = NewDisposeScope();
            using var encoded = TextBatch.Encode(tokenizer, batch.Select(i => texts[i]).ToList(), maxLength, null, model.Device);
            var rows = forward(encoded).cpu();
            var flat = rows.data<float>().ToArray();
            var width = (int)rows.shape[1];
            for (var row = 0; row < batch.Length; row++)
                result[batch[row]] = flat.AsSpan(row * width, width).ToArray();
        }
        model.Module.train(wasTraining);
        return result;
    }

    // Sorting by length keeps padding small; results are written back by index.
    private static IEnumerable<int[]> Order(IReadOnlyList<string> texts, int batchSize) =>
        Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).Chunk(batchSize);
}
