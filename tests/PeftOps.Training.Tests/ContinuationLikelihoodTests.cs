using System.Text.Json;
using PeftOps.Modeling.Checkpoints;
using PeftOps.TestSupport;

namespace PeftOps.Training.Tests;

/// <summary>
/// Continuation log-likelihoods (multiple-choice scoring) are those Hugging Face transformers computes the way
/// lm-evaluation-harness asks for them (tests/data/hf-loglikelihood, made by its committed script), and text pairs are
/// tokenized as lm-evaluation-harness's <c>_encode_pair</c> does.
/// </summary>
[Collection(TorchRngCollection.Name)]
public sealed class ContinuationLikelihoodTests
{
    private static string Fixture => Path.Combine(TestPaths.TestData, "hf-loglikelihood");

    [Fact]
    public void Summed_continuation_loglikelihoods_match_transformers_within_1e_4()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixture, "loglikelihoods.json")));
        var maxLength = document.RootElement.GetProperty("max_length").GetInt32();
        var cases = document.RootElement.GetProperty("cases").EnumerateArray().Select(c => (
            Context: c.GetProperty("context").EnumerateArray().Select(x => x.GetInt32()).ToArray(),
            Continuation: c.GetProperty("continuation").EnumerateArray().Select(x => x.GetInt32()).ToArray(),
            Expected: c.GetProperty("loglikelihood").GetDouble())).ToList();
        using var model = ModelLoader.Load(Path.Combine(TestPaths.HfPeftDecoderFixtures, "tiny-qwen2"));

        // all nine in one right-padded batch, so padding must not leak into any row
        var scores = TokenLikelihood.ScoreContinuations(model, [.. cases.Select(c => (c.Context, c.Continuation))], maxLength);

        Assert.Equal(9, scores.Count);
        for (var i = 0; i < cases.Count; i++)
            Assert.True(Math.Abs(scores[i] - cases[i].Expected) < 1e-4, $"case {i}: {scores[i]} against transformers' {cases[i].Expected}");
        // the eighth pair (20 tokens) only matches because its context was cut from the left to max_length + 1 tokens
        Assert.True(cases[7].Context.Length + cases[7].Continuation.Length > maxLength + 1);
    }

    [Fact]
    public void A_pair_is_tokenized_as_the_whole_beyond_the_context_with_trailing_space_moved_to_the_continuation()
    {
        using var adapter = new TinyLlamaAdapter();
        using var model = ModelLoader.Load(Path.Combine(Path.GetDirectoryName(adapter.Directory)!, "model"));

        var (context, continuation) = TokenLikelihood.EncodePair(model, "what is the colour of sky ?", " blue .");
        var (spacedContext, spacedContinuation) = TokenLikelihood.EncodePair(model, "what is the colour of sky ? ", "blue .");

        // <s> what is the colour of sky ? | blue .
        Assert.Equal([1, 3, 4, 5, 6, 7, 8, 24], context);
        Assert.Equal([12, 25], continuation);
        Assert.Equal(context, spacedContext);
        Assert.Equal(continuation, spacedContinuation);
    }
}
