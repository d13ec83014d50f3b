namespace PeftOps.Modeling.Tokenization;

/// <summary>One encoded text: <c>[CLS] pieces... [SEP]</c> and a mask of ones, both of length T.</summary>
public sealed record BertEncoding(int[] InputIds, int[] AttentionMask);
