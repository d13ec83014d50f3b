namespace PeftOps.Training.Data;

/// <param name="Score">Gold similarity, 0-5 in STS-B's sense.</param>
public sealed record SentencePair(string Sentence1, string Sentence2, double Score, int Line);
