using System.Text.Json;

namespace PeftOps.Contracts;

/// <summary>What a suite measures. adapter.yaml and eval.json spell it in kebab case: <c>embedding-similarity</c>.</summary>
public enum SuiteKind
{
    /// <summary>Labelled text: accuracy, macro-F1, per-class precision/recall/F1, confusion matrix.</summary>
    Classification,
    /// <summary>Sentence pairs with gold scores: Spearman of cosine similarity.</summary>
    EmbeddingSimilarity,
    /// <summary>Off-topic messages: share rejected at a confidence threshold calibrated on validation data.</summary>
    OutOfScope,
    /// <summary>General text for causal LMs: perplexity.</summary>
    Perplexity,
    /// <summary>Causal LMs: questions with choices scored by log-likelihood, lm-evaluation-harness style: acc, acc_norm.</summary>
    MultipleChoice,
    /// <summary>Causal LMs: greedy answers to prompts, checked against references and requirements: exact_match, rouge_l, chrf, pass_rate.</summary>
    Generation,
}

public static class SuiteKinds
{
    /// <summary>The kind as adapter.yaml and eval.json spell it (<c>classification</c>, <c>embedding-similarity</c>, ...).</summary>
    public static string Name(SuiteKind kind) => JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString());
}
