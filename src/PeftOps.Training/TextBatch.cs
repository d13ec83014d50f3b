using PeftOps.Modeling.Tokenization;
using static TorchSharp.torch;

namespace PeftOps.Training;

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
    /// <summary>[B] bool: rows that train the classifier head but not the encoder; null for none.</summary>
    public Tensor? HeadOnlyRows { get; private init; }
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

    /// <summary>Encoded rows ([CLS] ... [SEP]) right-padded with <paramref name="padId"/> to the longest; labels [B].</summary>
    /// <param name="headOnly">Per row: true where the row trains the head only (<see cref="HeadOnlyRows"/>); null for none.</param>
    public static TextBatch Pad(IReadOnlyList<int[]> rows, int padId, long[] labels, Device device, bool[]? headOnly = null)
    {
        var width = rows.Max(r => r.Length);
        var flatIds = new long[rows.Count * width];
        var flatMask = new long[rows.Count * width];
        Array.Fill(flatIds, padId);
        var tokens = 0;
        for (var row = 0; row < rows.Count; row++)
        {
            for (var t = 0; t < rows[row].Length; t++)
                flatIds[row * width + t] = rows[row][t];
            Array.Fill(flatMask, 1L, row * width, rows[row].Length);
            tokens += rows[row].Length;
        }
        long[] shape = [rows.Count, width];
        return new TextBatch(tensor(flatIds, shape).to(device), tensor(flatMask, shape).to(device), tensor(labels).to(device), tokens)
        {
            HeadOnlyRows = headOnly is not null && headOnly.Contains(true) ? tensor(headOnly).to(device) : null,
        };
    }

    /// <summary>
    /// Token rows right-padded to the longest: input_ids (pad 0), attention_mask, and labels [B, T] with -100
    /// wherever no loss is wanted (padding, prompts).
    /// </summary>
    public static TextBatch FromRows(IReadOnlyList<long[]> ids, IReadOnlyList<long[]> labels, Device device)
    {
        var width = ids.Max(r => r.Length);
        var flatIds = new long[ids.Count * width];
        var flatMask = new long[ids.Count * width];
        var flatLabels = Enumerable.Repeat(-100L, ids.Count * width).ToArray();
        for (var row = 0; row < ids.Count; row++)
        {
            ids[row].CopyTo(flatIds, row * width);
            labels[row].CopyTo(flatLabels, row * width);
            Array.Fill(flatMask, 1L, row * width, ids[row].Length);
        }
        long[] shape = [ids.Count, width];
        return new TextBatch(tensor(flatIds, shape).to(device), tensor(flatMask, shape).to(device), tensor(flatLabels, shape).to(device),
            ids.Sum(r => r.Length));
    }

    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        Labels?.Dispose();
        HeadOnlyRows?.Dispose();
    }
}
