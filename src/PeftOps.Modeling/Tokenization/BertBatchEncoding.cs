namespace PeftOps.Modeling.Tokenization;

/// <summary>
/// A padded batch, row-major <c>[BatchSize, SequenceLength]</c> with <c>SequenceLength</c> = the longest encoding
/// (dynamic padding): <c>InputIds</c> padded with <c>[PAD]</c>, <c>AttentionMask</c> 1 on tokens and 0 on padding,
/// <c>TokenTypeIds</c> all 0 (single segment). Ready for <c>torch.tensor(InputIds, [BatchSize, SequenceLength])</c>.
/// </summary>
public sealed record BertBatchEncoding(long[] InputIds, long[] AttentionMask, long[] TokenTypeIds, int BatchSize, int SequenceLength);
