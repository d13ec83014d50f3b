using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Runtime;
using static TorchSharp.torch;

namespace PeftOps.Training;

/// <summary>
/// Next-token log-likelihoods of a decoder: per text, the summed negative log-likelihood (nats) of every token after the
/// first (perplexity); per (context, continuation), the summed log-likelihood of the continuation's tokens only
/// (multiple-choice scoring, as lm-evaluation-harness's <c>loglikelihood</c> requests).
/// </summary>
public static class TokenLikelihood
{
    /// <summary>Per text (bos first where config.json names one, cut to <paramref name="maxLength"/> tokens): summed nll and how many tokens were predicted.</summary>
    public static IReadOnlyList<(double Nll, int Tokens)> Score(TransformerModel model, IReadOnlyList<string> texts, int maxLength, int batchSize = 16, CancellationToken cancellationToken = default)
    {
        var tokenizer = Tokenizer(model);
        var rows = texts.Select(t => WithBos(model, tokenizer.Encode(t)).Take(maxLength).Select(i => (long)i).ToArray()).ToList();
        return SummedNll(model, [.. rows.Select(r => (r, r))], batchSize, cancellationToken);
    }

    /// <summary>
    /// The summed log-likelihood of each continuation's tokens given its context's, from one forward pass over
    /// context + continuation. Token ids are taken as given (no bos is added). A row longer than
    /// <paramref name="maxLength"/> + 1 tokens loses context tokens from the left, as lm-evaluation-harness truncates.
    /// </summary>
    public static IReadOnlyList<double> ScoreContinuations(
        TransformerModel model, IReadOnlyList<(int[] Context, int[] Continuation)> pairs, int maxLength, int batchSize = 16, CancellationToken cancellationToken = default)
    {
        var rows = new List<(long[] Ids, long[] Labels)>();
        foreach (var (context, continuation) in pairs)
        {
            if (continuation.Length == 0)
                throw new ArgumentException("a continuation has no tokens", nameof(pairs));
            if (context.Length == 0)
                throw new ArgumentException("a context has no tokens: nothing predicts the continuation's first token", nameof(pairs));
            var whole = context.Concat(continuation).Select(i => (long)i).TakeLast(maxLength + 1).ToArray();
            // labels: -100 over the context, the token itself over the continuation (predicted from the position before it)
            var labels = whole.Select((id, i) => i >= whole.Length - continuation.Length ? id : -100L).ToArray();
            rows.Add((whole, labels));
        }
        return [.. SummedNll(model, rows, batchSize, cancellationToken).Select(r => -r.Nll)];
    }

    /// <summary>
    /// lm-evaluation-harness's tokenization of a (context, continuation) pair: white space at the end of the context moves to
    /// the front of the continuation; the context is encoded alone and context + continuation whole; the continuation's tokens
    /// are those of the whole beyond as many tokens as the context alone has. Here bos (where config.json names one) is put
    /// before both, as every other decoder input of this project; lm-evaluation-harness adds it only for some models.
    /// </summary>
    public static (int[] Context, int[] Continuation) EncodePair(TransformerModel model, string context, string continuation)
    {
        var tokenizer = Tokenizer(model);
        var spaces = context.Length - context.TrimEnd().Length;
        if (spaces > 0)
            (context, continuation) = (context[..^spaces], context[^spaces..] + continuation);
        var whole = WithBos(model, tokenizer.Encode(context + continuation)).ToArray();
        var contextIds = WithBos(model, tokenizer.Encode(context)).ToArray();
        return (whole[..Math.Min(contextIds.Length, whole.Length)], whole[Math.Min(contextIds.Length, whole.Length)..]);
    }

    private static Modeling.Tokenization.IDecoderTokenizer Tokenizer(TransformerModel model) =>
        model.DecoderTokenizer ?? throw new InputException($"{model.Source.Folder}: no tokenizer.json, so texts cannot be tokenized");

    private static IEnumerable<int> WithBos(TransformerModel model, IEnumerable<int> ids) =>
        model.Llama?.BosTokenId is { } bos ? ids.Prepend(bos) : ids;

    // Per row, the summed -log p(labels[t] | ids[< t]) over the positions t whose label is not -100, and how many there were.
    private static List<(double Nll, int Tokens)> SummedNll(TransformerModel model, IReadOnlyList<(long[] Ids, long[] Labels)> rows, int batchSize, CancellationToken cancellationToken)
    {
        var result = new List<(double, int)>();
        var wasTraining = model.Module.training;
        model.Module.eval();
        using var _ = no_grad();
        foreach (var chunk in rows.Chunk(batchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            using var batch = TextBatch.FromRows([.. chunk.Select(r => r.Ids)], [.. chunk.Select(r => r.Labels)], model.Device);
            var logits = model.Logits(batch.InputIds, batch.AttentionMask).to(ScalarType.Float32);
            var vocab = logits.shape[^1];
            // [B, T-1]: -log p(token t+1 | tokens <= t); labels of padding and context are -100 and contribute 0.
            var targets = batch.Labels!.narrow(1, 1, batch.Labels.shape[1] - 1);
            var nll = nn.functional.cross_entropy(logits.narrow(1, 0, logits.shape[1] - 1).reshape(-1, vocab), targets.reshape(-1),
                ignore_index: -100, reduction: nn.Reduction.None).reshape(targets.shape);
            var sums = nll.to(ScalarType.Float64).sum(1).cpu().data<double>().ToArray();
            var counts = targets.ne(HeldScalars.Of(-100L)).sum(1).cpu().data<long>().ToArray();
            for (var i = 0; i < chunk.Length; i++)
                result.Add((sums[i], (int)counts[i]));
        }
        model.Module.train(wasTraining);
        return result;
    }
}
