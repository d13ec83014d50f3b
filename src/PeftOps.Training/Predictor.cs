using PeftOps.Modeling.Checkpoints;
using PeftOps.Training.Data;
using static TorchSharp.torch;

namespace PeftOps.Training;

/// <summary>Batched inference (eval mode, no gradients) over texts: class probabilities or sentence embeddings.</summary>
public static class Predictor
{
    /// <returns>[N, labels] softmax probabilities, in the input order.</returns>
    public static float[][] Probabilities(TransformerModel model, IReadOnlyList<string> texts, int maxLength, int batchSize = 64)
    {
        var tokenizer = model.Tokenizer ?? throw new Configuration.InputException($"{model.Source.Folder}: no vocab.txt, so texts cannot be tokenized");
        var result = new float[texts.Count][];
        var wasTraining = model.Module.training;
        model.Module.eval();
        using var _ = no_grad();
        foreach (var batch in Order(texts, batchSize))
        {
            using var scope = NewDisposeScope();
            using var encoded = TextBatch.Encode(tokenizer, batch.Select(i => texts[i]).ToList(), maxLength, null, model.Device);
            var probs = nn.functional.softmax(model.Logits(encoded.InputIds, encoded.AttentionMask).to(ScalarType.Float32), -1).cpu();
            var flat = probs.data<float>().ToArray();
            var width = (int)probs.shape[1];
            for (var row = 0; row < batch.Length; row++)
                result[batch[row]] = flat.AsSpan(row * width, width).ToArray();
        }
        model.Module.train(wasTraining);
        return result;
    }

    /// <returns>[N, H] mean-pooled, L2-normalised embeddings, in the input order.</returns>
    public static float[][] Embeddings(TransformerModel model, IReadOnlyList<string> texts, int maxLength, int batchSize = 64)
    {
        var tokenizer = model.Tokenizer ?? throw new Configuration.InputException($"{model.Source.Folder}: no vocab.txt, so texts cannot be tokenized");
        var result = new float[texts.Count][];
        model.Module.eval();
        using var _ = no_grad();
        foreach (var batch in Order(texts, batchSize))
        {
            using var scope = NewDisposeScope();
            using var encoded = TextBatch.Encode(tokenizer, batch.Select(i => texts[i]).ToList(), maxLength, null, model.Device);
            var emb = model.Embed(encoded.InputIds, encoded.AttentionMask).to(ScalarType.Float32).cpu();
            var flat = emb.data<float>().ToArray();
            var width = (int)emb.shape[1];
            for (var row = 0; row < batch.Length; row++)
                result[batch[row]] = flat.AsSpan(row * width, width).ToArray();
        }
        return result;
    }

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

    // Sorting by length keeps padding small; results are written back by index.
    private static IEnumerable<int[]> Order(IReadOnlyList<string> texts, int batchSize) =>
        Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).Chunk(batchSize);
}
