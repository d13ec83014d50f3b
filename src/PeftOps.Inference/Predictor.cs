using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;
using static TorchSharp.torch;

namespace PeftOps.Inference;

/// <summary>Batched inference (eval mode, no gradients) over texts: class probabilities or sentence embeddings.</summary>
public static class Predictor
{
    /// <returns>[N, labels] softmax probabilities, in the input order.</returns>
    public static float[][] Probabilities(TransformerModel model, IReadOnlyList<string> texts, int maxLength, int batchSize = 64, CancellationToken cancellationToken = default) =>
        Rows(model, texts, batchSize, WordPiece(model, maxLength), (ids, mask) => nn.functional.softmax(model.Logits(ids, mask).to(ScalarType.Float32), -1), cancellationToken);

    /// <summary>What a classifier's scope decides from (<see cref="ScopeRule"/>): per text, in the input order, its probabilities and pooled features.</summary>
    public static ClassifierOutput[] Classify(TransformerModel model, IReadOnlyList<string> texts, int maxLength, int batchSize = 64, CancellationToken cancellationToken = default)
    {
        var labels = model.Labels.Count;
        // one [B, labels + H] row per text crosses to the CPU, then splits
        return [.. Rows(model, texts, batchSize, WordPiece(model, maxLength), (ids, mask) =>
        {
            var (logits, pooled) = model.LogitsAndPooled(ids, mask);
            return cat([nn.functional.softmax(logits.to(ScalarType.Float32), -1), nn.functional.normalize(pooled.to(ScalarType.Float32), p: 2, dim: 1)], 1);
        }, cancellationToken).Select(row => new ClassifierOutput(row[..labels], row[labels..]))];
    }

    /// <returns>[N, H] mean-pooled, L2-normalised embeddings, in the input order.</returns>
    public static float[][] Embeddings(TransformerModel model, IReadOnlyList<string> texts, int maxLength, int batchSize = 64, CancellationToken cancellationToken = default) =>
        Embeddings(model, texts, batchSize, WordPiece(model, maxLength), cancellationToken);

    /// <summary>
    /// [N, H] mean-pooled, L2-normalised embeddings, in the input order, with <paramref name="encode"/> giving int64
    /// input_ids and attention_mask [B, T] for a batch (on any device) instead of the checkpoint's WordPiece vocabulary.
    /// </summary>
    public static float[][] Embeddings(TransformerModel model, IReadOnlyList<string> texts, int batchSize, Func<IReadOnlyList<string>, (Tensor Ids, Tensor Mask)> encode,
        CancellationToken cancellationToken = default) =>
        Rows(model, texts, batchSize, encode, (ids, mask) => model.Embed(ids, mask).to(ScalarType.Float32), cancellationToken);

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

    /// <summary>ids and mask [B, T] from the checkpoint's WordPiece vocabulary, padded to the longest text of the batch.</summary>
    private static Func<IReadOnlyList<string>, (Tensor Ids, Tensor Mask)> WordPiece(TransformerModel model, int maxLength)
    {
        var tokenizer = model.Tokenizer ?? throw new InputException($"{model.Source.Folder}: no vocab.txt, so texts cannot be tokenized");
        return texts =>
        {
            var encoded = tokenizer.EncodeBatch(texts, maxLength);
            long[] shape = [encoded.BatchSize, encoded.SequenceLength];
            return (tensor(encoded.InputIds, shape, ScalarType.Int64), tensor(encoded.AttentionMask, shape, ScalarType.Int64));
        };
    }

    /// <summary>
    /// Runs <paramref name="forward"/> ([B, T] ids and mask -> [B, W]) in eval mode over length-sorted batches; rows
    /// come back in input order. <paramref name="cancellationToken"/> is looked at before every batch.
    /// </summary>
    private static float[][] Rows(TransformerModel model, IReadOnlyList<string> texts, int batchSize,
        Func<IReadOnlyList<string>, (Tensor Ids, Tensor Mask)> encode, Func<Tensor, Tensor, Tensor> forward, CancellationToken cancellationToken)
    {
        var result = new float[texts.Count][];
        var wasTraining = model.Module.training;
        model.Module.eval();
        try
        {
            using var _ = no_grad();
            foreach (var batch in Order(texts, batchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var (ids, mask) = encode([.. batch.Select(i => texts[i])]);
                var rows = forward(ids.to(model.Device), mask.to(model.Device)).cpu();
                var flat = rows.data<float>().ToArray();
                var width = (int)rows.shape[1];
                for (var row = 0; row < batch.Length; row++)
                    result[batch[row]] = flat.AsSpan(row * width, width).ToArray();
            }
        }
        finally
        {
            model.Module.train(wasTraining);
        }
        return result;
    }

    // Sorting by length keeps padding small; results are written back by index.
    private static IEnumerable<int[]> Order(IReadOnlyList<string> texts, int batchSize) =>
        Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).Chunk(batchSize);
}
