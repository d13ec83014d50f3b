using PeftOps.Modeling.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Generation;

/// <summary>
/// Picks each row's next token from its logits: the arg-max when <see cref="GenerationOptions.Temperature"/> is 0
/// (transformers' greedy search), else a draw from softmax(logits / temperature) after transformers'
/// <c>TopPLogitsWarper</c>. Each row draws from its own generator seeded with <see cref="GenerationOptions.Seed"/>,
/// so a row's sample depends on its prompt and the seed, not on which rows share its batch.
/// </summary>
internal sealed class TokenChooser : IDisposable
{
    private readonly GenerationOptions options;
    private readonly torch.Generator[] generators;

    public TokenChooser(GenerationOptions options, int rows, Device device)
    {
        this.options = options;
        generators = options.Temperature == 0 ? []
            : [.. Enumerable.Range(0, rows).Select(_ => new torch.Generator(unchecked((ulong)options.Seed), device))];
    }

    /// <param name="logits">[B, vocab]</param>
    /// <returns>[B] token ids</returns>
    public long[] Choose(Tensor logits)
    {
        using var scope = NewDisposeScope();
        if (options.Temperature == 0)
            return logits.argmax(-1).cpu().data<long>().ToArray();
        using var temperature = options.Temperature.ToScalar();
        var scores = logits.to(ScalarType.Float32).div(temperature);
        if (options.TopP < 1.0)
            scores = TopP(scores, options.TopP);
        var probs = nn.functional.softmax(scores, -1);
        var chosen = new long[generators.Length];
        for (var row = 0; row < chosen.Length; row++)
            chosen[row] = multinomial(probs[row], 1, generator: generators[row]).item<long>();
        return chosen;
    }

    /// <summary>
    /// transformers' <c>TopPLogitsWarper</c>: sort ascending, drop the tokens whose cumulative probability is at most
    /// 1 - top_p, always keeping the most likely one; dropped tokens get -inf.
    /// </summary>
    private static Tensor TopP(Tensor scores, double topP)
    {
        var (sorted, indices) = scores.sort(-1, descending: false);
        var cumulative = nn.functional.softmax(sorted, -1).cumsum(-1);
        using var dropUpTo = (1 - topP).ToScalar();
        var remove = cumulative.le(dropUpTo);
        remove[.., -1] = tensor(false);
        var removeByToken = remove.scatter(1, indices, remove);
        return scores.masked_fill(removeByToken, HeldScalars.Of(double.NegativeInfinity));
    }

    public void Dispose()
    {
        foreach (var g in generators)
            g.Dispose();
    }
}
