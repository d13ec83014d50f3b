using PeftOps.Modeling.Tokenization;
using static TorchSharp.torch;

namespace PeftOps.Training.Data;

/// <summary>A padded batch: input_ids and attention_mask [B, T] (T = the longest in the batch), labels [B].</summary>
public sealed class TextBatch : IDisposable
{
    private TextBatch(Tensor inputIds, Tensor attentionMask, Tensor? labels, int tokens)
    {
        InputIds = inputIds;
        AttentionMask = attentionMask;
        Labels = labels;
        Tokens = tokens;
    }

    public Tensor InputIds { get; }
    public Tensor AttentionMask { get; }
    public Tensor? Labels { get; }
    /// <summary>Real (unpadded) tokens in the batch.</summary>
    public int Tokens { get; }
    public long Size => InputIds.shape[0];

    public static TextBatch Encode(BertWordPieceTokenizer tokenizer, IReadOnlyList<string> texts, int maxLength, long[]? labels, Device device)
    {
        var encoded = tokenizer.EncodeBatch(texts, maxLength);
        long[] shape = [encoded.BatchSize, encoded.SequenceLength];
        var ids = tensor(encoded.InputIds, shape, ScalarType.Int64).to(device);
        var mask = tensor(encoded.AttentionMask, shape, ScalarType.Int64).to(device);
        var y = labels is null ? null : tensor(labels, ScalarType.Int64).to(device);
        return new TextBatch(ids, mask, y, (int)encoded.AttentionMask.Sum());
    }

    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        Labels?.Dispose();
    }
}
