using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;
using static TorchSharp.torch;

namespace PeftOps.Training;

/// <summary>Per text, the summed next-token negative log-likelihood (nats) and how many tokens were predicted.</summary>
public static class TokenLikelihood
{
    public static IReadOnlyList<(double Nll, int Tokens)> Score(TransformerModel model, IReadOnlyList<string> texts, int maxLength, int batchSize = 16)
    {
        var tokenizer = model.DecoderTokenizer ?? throw new InputException($"{model.Source.Folder}: no tokenizer.json, so texts cannot be tokenized");
        var bos = model.Llama?.BosTokenId;
        var result = new List<(double, int)>();
        var wasTraining = model.Module.training;
        model.Module.eval();
        using var _ = no_grad();
        foreach (var chunk in texts.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            var rows = chunk.Select(t => ((long[])[.. (bos is { } b ? new[] { (long)b } : []), .. tokenizer.Encode(t).Select(i => (long)i)]).Take(maxLength).ToArray()).ToList();
            using var batch = TextBatch.FromRows(rows, rows, model.Device);
            var logits = model.Logits(batch.InputIds, batch.AttentionMask).to(ScalarType.Float32);
            var vocab = logits.shape[^1];
            // [B, T-1]: -log p(token t+1 | tokens <= t); labels of padding are -100 and contribute 0.
            var targets = batch.Labels!.narrow(1, 1, batch.Labels.shape[1] - 1);
            var nll = nn.functional.cross_entropy(logits.narrow(1, 0, logits.shape[1] - 1).reshape(-1, vocab), targets.reshape(-1),
                ignore_index: -100, reduction: nn.Reduction.None).reshape(targets.shape);
            var sums = nll.sum(1).cpu().data<float>().ToArray();
            var counts = targets.ne(-100).sum(1).cpu().data<long>().ToArray();
            for (var i = 0; i < chunk.Length; i++)
                result.Add((sums[i], (int)counts[i]));
        }
        model.Module.train(wasTraining);
        return result;
    }
}
