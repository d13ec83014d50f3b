using PeftOps.Modeling.Generation;
using PeftOps.TestSupport;
using Generator = PeftOps.Modeling.Generation.Generator;

namespace PeftOps.Peft.Tests.Generating;

/// <summary>
/// Sampling, end-of-sequence tokens, stop strings, streaming and cancellation on the qwen2-lora fixture. Text comes from
/// the Qwen2-style byte-level tokenizer of tests/data/tokenizers put beside a copy of the checkpoint.
/// </summary>
public sealed class GenerationOptionsTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private static GenerationOptions Sampling(long seed, double topP = 1.0) => new() { MaxNewTokens = 12, Temperature = 1.0, TopP = topP, Seed = seed };

    [Fact]
    public void The_same_seed_gives_the_same_sample_and_another_seed_another()
    {
        using var fixture = DecoderCase.Load("qwen2-lora");
        var generator = new Generator(fixture.Model);
        var prompts = fixture.BatchPrompts();

        var first = generator.Generate(prompts, Sampling(7));
        var again = generator.Generate(prompts, Sampling(7));
        var other = generator.Generate(prompts, Sampling(8));

        Assert.Equal(first.Select(r => r.Tokens), again.Select(r => r.Tokens));
        Assert.NotEqual(first.Select(r => r.Tokens), other.Select(r => r.Tokens));
        // a sample is not the greedy answer (the logits are far from one-hot)
        Assert.NotEqual(DecoderCase.Ids(fixture.Generated["adapter.batch.tokens"][0]), first[0].Tokens);
    }

    [Fact]
    public void A_row_samples_the_same_tokens_alone_as_in_a_batch()
    {
        using var fixture = DecoderCase.Load("qwen2-lora");
        var generator = new Generator(fixture.Model);
        var prompts = fixture.BatchPrompts();

        var batch = generator.Generate(prompts, Sampling(11));

        for (var row = 0; row < prompts.Length; row++)
            Assert.Equal(batch[row].Tokens, generator.Generate([prompts[row]], Sampling(11))[0].Tokens);
    }

    [Fact]
    public void A_tiny_top_p_keeps_only_the_most_likely_token_so_sampling_is_greedy()
    {
        using var fixture = DecoderCase.Load("qwen2-lora");

        var output = new Generator(fixture.Model).Generate(fixture.BatchPrompts(), Sampling(3, topP: 1e-6));

        for (var row = 0; row < 3; row++)
            Assert.Equal(DecoderCase.Ids(fixture.Generated["adapter.batch.tokens"][row]), output[row].Tokens);
    }

    [Fact]
    public void A_row_stops_at_an_eos_token_of_generation_config_json_which_may_be_a_list()
    {
        var expected = Greedy("qwen2-lora");
        var eos = expected[0][5];
        var at = expected[0].IndexOf(eos);
        var folder = CheckpointCopy();
        File.WriteAllText(Path.Combine(folder, "generation_config.json"), $$"""{"bos_token_id": 1, "eos_token_id": [511, {{eos}}]}""");
        using var fixture = DecoderCase.Load("qwen2-lora", folder);

        var output = new Generator(fixture.Model).Generate(fixture.BatchPrompts(), new GenerationOptions { MaxNewTokens = 12 });

        Assert.Equal(expected[0][..(at + 1)], output[0].Tokens);
        Assert.Equal(Generator.FinishedByStop, output[0].FinishReason);
        for (var row = 1; row < 3; row++)
        {
            var stop = expected[row].IndexOf(eos);
            Assert.Equal(stop < 0 ? expected[row] : expected[row][..(stop + 1)], output[row].Tokens);
        }
    }

    [Fact]
    public void Text_ends_before_a_stop_string_and_the_streamed_pieces_add_up_to_the_text()
    {
        var folder = CheckpointCopy();
        using var fixture = DecoderCase.Load("qwen2-lora", folder);
        var generator = new Generator(fixture.Model);
        var prompts = fixture.BatchPrompts();
        var plain = Streamed(generator, prompts, []);
        var (row, stop) = Enumerable.Range(0, 3)
            .SelectMany(r => Enumerable.Range(1, Math.Max(0, plain.Output[r].Text.Length - 3)).Select(i => (r, plain.Output[r].Text.Substring(i, 2))))
            .First(c => !c.Item2.Contains('\uFFFD', StringComparison.Ordinal));

        var stopped = Streamed(generator, prompts, [stop]);

        for (var r = 0; r < 3; r++)
        {
            Assert.Equal(plain.Output[r].Text, string.Concat(plain.Pieces[r]));
            Assert.Equal(stopped.Output[r].Text, string.Concat(stopped.Pieces[r]));
        }
        var cut = plain.Output[row].Text.IndexOf(stop, StringComparison.Ordinal);
        Assert.Equal(plain.Output[row].Text[..cut], stopped.Output[row].Text);
        Assert.Equal(Generator.FinishedByStop, stopped.Output[row].FinishReason);
        Assert.True(stopped.Output[row].Tokens.Count < 12);
    }

    [Fact]
    public void Cancellation_stops_generation_between_steps()
    {
        using var fixture = DecoderCase.Load("qwen2-lora");
        using var cancel = new CancellationTokenSource();
        var steps = 0;
        var generator = new Generator(fixture.Model) { StepLogits = (_, _) => { if (++steps == 3) cancel.Cancel(); } };

        Assert.Throws<OperationCanceledException>(() => generator.Generate([fixture.Prompt(0)], new GenerationOptions { MaxNewTokens = 12 }, null, cancel.Token));
        Assert.Equal(3, steps);
    }

    private static List<int>[] Greedy(string name)
    {
        using var fixture = DecoderCase.Load(name);
        var tokens = fixture.Generated["adapter.batch.tokens"];
        return [.. Enumerable.Range(0, 3).Select(r => DecoderCase.Ids(tokens[r]).ToList())];
    }

    private static (IReadOnlyList<GeneratedText> Output, List<string>[] Pieces) Streamed(Generator generator, int[][] prompts, string[] stop)
    {
        var pieces = prompts.Select(_ => new List<string>()).ToArray();
        var output = generator.Generate(prompts, new GenerationOptions { MaxNewTokens = 12, Stop = stop }, d => pieces[d.Row].Add(d.Delta));
        return (output, pieces);
    }

    // tiny-qwen2 with the Qwen2-style tokenizer.json of tests/data/tokenizers (476 tokens and 2 added, inside its 512)
    private string CheckpointCopy()
    {
        var folder = dir.Combine("tiny-qwen2");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(DecoderCase.BaseFolder("qwen2-lora")))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        File.Copy(Path.Combine(TestPaths.ByteLevelBpe("qwen2"), "tokenizer.json"), Path.Combine(folder, "tokenizer.json"));
        return folder;
    }
}
