using PeftOps.Modeling.Generation;
using PeftOps.Modeling.Layers;
using PeftOps.TestSupport;
using static TorchSharp.torch;
using Generator = PeftOps.Modeling.Generation.Generator;

namespace PeftOps.Peft.Tests.Generating;

/// <summary>
/// Greedy generation with the KV cache against transformers 4.46.3's <c>generate</c> (tests/data/hf-peft-decoders):
/// the same tokens, and the logits of every step within 1e-5, for one prompt at a time and for the left-padded batch,
/// with the LoRA adapter on and off. Mistral's fixture runs past its sliding window of 4, so the window must apply
/// to the cache.
/// </summary>
public sealed class GenerationParityTests
{
    private static readonly GenerationOptions Greedy = new() { MaxNewTokens = 12 };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in DecoderCase.Names)
        {
            data.Add(name, "adapter");
            data.Add(name, "base");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Greedy_tokens_and_step_logits_equal_transformers_one_prompt_at_a_time(string name, string which)
    {
        using var fixture = DecoderCase.Load(name);
        fixture.Use(which);
        for (var i = 0; i < 3; i++)
        {
            var (output, logits) = Generate(fixture, [fixture.Prompt(i)]);

            Assert.Equal(DecoderCase.Ids(fixture.Generated[$"{which}.tokens.{i}"][0]), output[0].Tokens);
            Assert.Equal(Generator.FinishedByLength, output[0].FinishReason);
            Assert.Equal(fixture.Prompt(i).Length, output[0].PromptTokens);
            TensorAssert.Close(fixture.Generated[$"{which}.step_logits.{i}"], logits, 1e-5, $"{name} {which} prompt {i} step logits");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_left_padded_batch_gives_transformers_tokens_and_logits(string name, string which)
    {
        using var fixture = DecoderCase.Load(name);
        fixture.Use(which);

        var (output, logits) = Generate(fixture, fixture.BatchPrompts());

        var expected = fixture.Generated[$"{which}.batch.tokens"];
        for (var row = 0; row < output.Count; row++)
            Assert.Equal(DecoderCase.Ids(expected[row]), output[row].Tokens);
        TensorAssert.Close(fixture.Generated[$"{which}.batch.step_logits"], logits, 1e-5, $"{name} {which} batch step logits");
    }

    [Fact]
    public void The_prompt_runs_once_and_then_each_step_feeds_one_token_per_row()
    {
        using var fixture = DecoderCase.Load("qwen2-lora");
        fixture.Use("base");
        // A probe on the first layer's q_proj computes the base layer and records the [B, T, H] it was given.
        var (_, q) = fixture.Model.LinearLayers().First(l => l.Name.EndsWith("q_proj", StringComparison.Ordinal));
        var probe = new ShapeProbe();
        q.Attach("probe", probe);
        q.Activate("probe");

        var output = new Generator(fixture.Model).Generate(fixture.BatchPrompts(), Greedy);

        Assert.Equal([3L, 9L, 64L], probe.Shapes[0]);
        Assert.Equal(Enumerable.Repeat(new[] { 3L, 1L, 64L }, 11), probe.Shapes.Skip(1));
        var expected = fixture.Generated["base.batch.tokens"];
        for (var row = 0; row < 3; row++)
            Assert.Equal(DecoderCase.Ids(expected[row]), output[row].Tokens);
    }

    [Fact]
    public void Generation_runs_in_eval_mode_and_gives_back_the_training_flag()
    {
        using var fixture = DecoderCase.Load("qwen2-lora");
        fixture.Model.Module.train();

        var (output, _) = Generate(fixture, [fixture.Prompt(0)]);

        Assert.True(fixture.Model.Module.training);
        Assert.True(fixture.Model.Module.modules().All(m => m.training));
        Assert.Equal(DecoderCase.Ids(fixture.Generated["adapter.tokens.0"][0]), output[0].Tokens);
    }

    /// <summary>Generates greedily and stacks the logits of every step, [B, steps, vocab].</summary>
    private static (IReadOnlyList<GeneratedText> Output, Tensor Logits) Generate(DecoderCase fixture, IReadOnlyList<int[]> prompts)
    {
        var steps = new List<Tensor>();
        var generator = new Generator(fixture.Model) { StepLogits = (_, logits) => steps.Add(logits.detach().clone().DetachFromDisposeScope()) };
        var output = generator.Generate(prompts, Greedy);
        return (output, stack(steps, 1));
    }

    private sealed class ShapeProbe() : LinearAdapter(nameof(ShapeProbe))
    {
        public List<long[]> Shapes { get; } = [];

        public override Tensor Forward(Tensor input, AdaptableLinear layer)
        {
            Shapes.Add(input.shape);
            return nn.functional.linear(input, layer.weight, layer.bias);
        }

        public override bool CanMerge(AdaptableLinear layer, out string reason)
        {
            reason = "a probe";
            return false;
        }

        public override void Merge(AdaptableLinear layer) => throw new NotSupportedException();

        public override void Unmerge(AdaptableLinear layer) => throw new NotSupportedException();
    }
}
