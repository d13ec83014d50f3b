using PeftOps.Contracts;
using PeftOps.Modeling.Chat;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Tokenization;
using PeftOps.TestSupport;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Tests.Chat;

/// <summary>
/// Where the loss goes in a rendered conversation, on the real templates of tests/data/chat-templates: each assistant
/// turn's content and the template's end-of-turn text, found by rendering the conversation's prefixes; the prompt
/// helper; and the synthetic checkpoint's ChatML template and added tokens.
/// </summary>
public sealed class ChatTemplateTrainingTests
{
    private static readonly ChatMessage[] MultiTurn =
    [
        new("system", "Be brief."),
        new("user", "Hi"),
        new("assistant", "Hello! How can I help?"),
        new("user", "Return policy?"),
        new("assistant", "30 days, unworn."),
    ];

    private static ChatTemplate Template(string name) => ChatTemplate.FromCheckpoint(Path.Combine(TestPaths.TestData, "chat-templates", name))!;

    [Theory]
    [InlineData("qwen2.5", "Hello! How can I help?<|im_end|>", "30 days, unworn.<|im_end|>")]
    [InlineData("llama-3.1", "Hello! How can I help?<|eot_id|>", "30 days, unworn.<|eot_id|>")]
    [InlineData("llama-3", "Hello! How can I help?<|eot_id|>", "30 days, unworn.<|eot_id|>")]
    [InlineData("mistral-v0.2", " Hello! How can I help?</s>", " 30 days, unworn.</s>")]
    [InlineData("zephyr", "Hello! How can I help?</s>", "30 days, unworn.</s>")]
    public void The_loss_covers_each_assistant_turn_and_its_end_of_turn_text(string template, string first, string second)
    {
        var rendering = Template(template).RenderForTraining(MultiTurn);

        Assert.Equal(Template(template).Render(MultiTurn, false), rendering.Text);
        Assert.Equal([first, second], rendering.AssistantSpans.Select(s => rendering.Text[s.Start..s.End]));
    }

    [Fact]
    public void Gemmas_model_turns_are_located_too()
    {
        var rendering = Template("gemma").RenderForTraining([new("user", "Hi"), new("assistant", "Hello!")]);
        Assert.Equal(["Hello!<end_of_turn>"], rendering.AssistantSpans.Select(s => rendering.Text[s.Start..s.End]));
    }

    [Fact]
    public void A_template_that_renders_a_prefix_differently_is_refused_naming_the_turn()
    {
        // Mistral v0.3 puts the system message into the last user turn, so the conversation up to the first answer
        // does not begin the whole one
        var error = Assert.Throws<InputException>(() => Template("mistral-v0.3").RenderForTraining(MultiTurn));
        Assert.StartsWith("messages[2]: the chat template (", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_with_generation_blocks_marks_the_spans_itself()
    {
        var template = ChatTemplate.FromText(
            "{% for m in messages %}<{{ m.role }}>{% if m.role == 'assistant' %}{% generation %}{{ m.content }}</s>{% endgeneration %}{% else %}{{ m.content }}{% endif %}\n{% endfor %}",
            new Dictionary<string, object?>());
        var rendering = template.RenderForTraining([new("user", "q"), new("assistant", "a")]);
        Assert.Equal("<user>q<assistant>a</s>", rendering.Text);
        Assert.Equal([(18, 23)], rendering.AssistantSpans);
    }

    [Fact]
    public void The_prompt_for_generation_stops_at_the_last_user_turn_with_the_generation_prompt()
    {
        var qwen = Template("qwen2.5");

        var prompt = qwen.RenderPrompt(MultiTurn);

        Assert.Equal(qwen.Render(MultiTurn[..4], addGenerationPrompt: true), prompt);
        Assert.EndsWith("<|im_start|>user\nReturn policy?<|im_end|>\n<|im_start|>assistant\n", prompt, StringComparison.Ordinal);
        Assert.Throws<InputException>(() => qwen.RenderPrompt([new("system", "x")]));
    }

    [Fact]
    public void A_synthetic_checkpoint_has_a_chatml_template_whose_markers_are_single_added_tokens()
    {
        using var temp = new TempDirectory();
        var shape = SyntheticCheckpoint.Shapes["qwen2.5-0.5b"] with { VocabSize = 600, HiddenSize = 32, IntermediateSize = 48, Layers = 1, Heads = 4, KvHeads = 2 };
        SyntheticCheckpoint.Write(temp.Path, shape, ScalarType.Float32, seed: 1);
        var template = ChatTemplate.FromCheckpoint(temp.Path)!;
        var tokenizer = ModelLoader.LoadDecoderTokenizer(temp.Path)!;

        var rendering = template.RenderForTraining([new("user", "Where is order 12?"), new("assistant", "It ships today.")]);
        var (ids, trained) = ChatTokens.Encode(tokenizer, rendering);

        Assert.Equal("<|im_start|>user\nWhere is order 12?<|im_end|>\n<|im_start|>assistant\nIt ships today.<|im_end|>\n", rendering.Text);
        Assert.Equal("<|im_end|>", template.SpecialTokens["eos_token"]);
        var (imStart, imEnd) = (tokenizer.Encode("<|im_start|>"), tokenizer.Encode("<|im_end|>"));
        Assert.Single(imStart);
        Assert.Single(imEnd);
        Assert.Equal(imStart[0], ids[0]);
        Assert.Equal(tokenizer.Encode("It ships today.<|im_end|>"), ids.Where((_, i) => trained[i]).ToArray());
        Assert.All(ids, id => Assert.InRange(id, 0, 599));
    }
}
