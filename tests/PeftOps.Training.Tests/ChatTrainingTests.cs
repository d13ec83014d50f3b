using System.Text.Json;
using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;
using PeftOps.TestSupport;
using PeftOps.Training.Data;
using PeftOps.Training.Trainer;
using Spectre.Console;
using static TorchSharp.torch;

namespace PeftOps.Training.Tests;

/// <summary>
/// Chat JSONL (<c>{"messages": [...]}</c>) for a causal-LM adapter, on a tiny decoder that <c>model synth</c> writes
/// (ChatML template, <c>&lt;|im_start|&gt;</c>/<c>&lt;|im_end|&gt;</c> added tokens): labels on the assistant turns only,
/// an adapter that learns them, and every kind of bad row refused with file, line and key before anything is written.
/// </summary>
[Collection(TorchRngCollection.Name)]
public sealed class ChatTrainingTests : IDisposable
{
    private static readonly DecoderShape Tiny = SyntheticCheckpoint.Shapes["qwen2.5-0.5b"] with
    {
        VocabSize = 600, HiddenSize = 32, IntermediateSize = 64, Layers = 2, Heads = 4, KvHeads = 2, MaxPositions = 128,
    };

    private static readonly (string Question, string Answer)[] Orders =
    [
        ("Where is order 12?", "Order 12 ships today."),
        ("Where is order 34?", "Order 34 was delivered."),
        ("Can I return boots?", "Yes, within 30 days."),
        ("Do you ship to Canada?", "Yes, in 5 days."),
    ];

    private readonly TempDirectory temp = new("peftops-chat");

    public ChatTrainingTests()
    {
        SyntheticCheckpoint.Write(temp.Combine("model"), Tiny, ScalarType.Float32, seed: 5);
        Directory.CreateDirectory(temp.Combine("tiny-chat", "data"));
        var rows = Orders.Select(o => Conversation(o.Question, o.Answer)).ToList();
        File.WriteAllLines(temp.Combine("tiny-chat", "data", "train.jsonl"), Enumerable.Repeat(rows, 4).SelectMany(r => r));
        File.WriteAllLines(temp.Combine("tiny-chat", "data", "validation.jsonl"), rows);
        File.WriteAllLines(temp.Combine("tiny-chat", "data", "answers.jsonl"), Orders.Select(o => JsonSerializer.Serialize(new { text = o.Answer })));
        File.WriteAllText(temp.Combine("tiny-chat", "adapter.yaml"), $$$"""
            name: tiny-chat
            base_model: {{{temp.Combine("model")}}}
            task: {type: causal-lm, max_length: 96}
            method: {type: lora, r: 4, alpha: 8, target_modules: [q_proj, v_proj, o_proj], modules_to_save: [lm_head]}
            data: {train: data/train.jsonl, validation: data/validation.jsonl}
            training: {epochs: 6, batch_size: 4, learning_rate: 3.0e-2, seed: 3}
            evaluation:
              target:
                - {name: answers, kind: perplexity, data: data/answers.jsonl}
            gate:
              target: [{metric: answers.perplexity, min_delta: 0.0}]
            """);
    }

    public void Dispose() => temp.Dispose();

    private static string Conversation(string question, string answer) => JsonSerializer.Serialize(new
    {
        messages = new[]
        {
            new { role = "system", content = "You answer for AwesomeShoes." },
            new { role = "user", content = question },
            new { role = "assistant", content = answer },
        },
    });

    private AdapterSpec Spec() => AdapterSpecLoader.Load(temp.Combine("tiny-chat"));

    [Fact]
    public void Only_the_assistant_turns_and_their_end_of_turn_token_carry_labels()
    {
        var spec = Spec();
        using var model = ModelLoader.Load(spec.BaseModel);
        var tokenizer = model.DecoderTokenizer!;

        using var batch = new CausalLmData(spec).Encode(model, [0], model.Device);

        var text = "<|im_start|>system\nYou answer for AwesomeShoes.<|im_end|>\n<|im_start|>user\nWhere is order 12?<|im_end|>\n"
            + "<|im_start|>assistant\nOrder 12 ships today.<|im_end|>\n";
        Assert.Equal(tokenizer.Encode(text).Select(i => (long)i), batch.InputIds[0].data<long>().ToArray());
        var labels = batch.Labels![0].data<long>().ToArray();
        var answer = tokenizer.Encode("Order 12 ships today.<|im_end|>").Select(i => (long)i).ToArray();
        Assert.Equal(answer, labels.Where(l => l != -100).ToArray());
        var firstLabel = Array.FindIndex(labels, l => l != -100);
        Assert.Equal(tokenizer.Encode(text[..text.IndexOf("Order 12", StringComparison.Ordinal)]).Length, firstLabel);
        Assert.Equal(-100L, labels[^1]); // the newline after <|im_end|> is not trained
        Assert.Equal(new[] { model.Llama!.EosTokenId!.Value }, tokenizer.Encode("<|im_end|>")); // one added token, the eos
    }

    [Fact]
    public void A_lora_adapter_learns_the_assistant_answers_on_a_synthetic_decoder()
    {
        var spec = Spec();
        using var runs = new TempDirectory();
        using var progress = new TrainProgress(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }), interactive: false);
        double before;
        using (var model = ModelLoader.Load(spec.BaseModel))
            before = new CausalLmData(spec).Validate(model);

        var summary = TrainRecipe.Run(spec, new TrainOptions(runs.Combine("run")), progress, CancellationToken.None);

        // at random about ln 600 = 6.4 nats per assistant token; measured: 6.425 -> 1.156 after 6 epochs (24 steps)
        Assert.InRange(before, 5.5, 7.5);
        Assert.True(summary.BestMetric < 2.0, $"validation loss over assistant tokens {before:F3} -> {summary.BestMetric:F3}");
        Assert.True(File.Exists(runs.Combine("run", "adapter", "adapter_config.json")));
    }

    [Fact]
    public void A_bf16_base_trains_a_float32_adapter_and_train_json_records_the_dtype()
    {
        var spec = Spec();
        using var runs = new TempDirectory();
        using var progress = new TrainProgress(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }), interactive: false);

        var summary = TrainRecipe.Run(spec, new TrainOptions(runs.Combine("run"), Dtype: "bf16"), progress, CancellationToken.None);

        // the float32 run above reaches 1.156; the bf16 base's rounding must not stop the (float32) adapter learning
        Assert.True(summary.BestMetric < 2.0, $"validation loss over assistant tokens -> {summary.BestMetric:F3}");
        Assert.Equal("bfloat16", summary.BaseDtype);
        Assert.Equal("bfloat16", TrainRunJson.Read(runs.Combine("run", "train.json")).Summary.BaseDtype);
        var saved = PeftOps.Modeling.Safetensors.SafetensorsTorch.Load(runs.Combine("run", "adapter", "adapter_model.safetensors"));
        Assert.Contains("base_model.model.lm_head.weight", saved.Keys); // the modules_to_save copy, as PEFT saves it
        Assert.All(saved.Values, t => Assert.Equal(ScalarType.Float32, t.dtype));
    }

    [Theory]
    [InlineData("""{"messages": [{"role": "user", "content": "hi"}]}""", "messages: no assistant turn (the loss covers assistant turns; expected at least one {\"role\": \"assistant\", ...})")]
    [InlineData("""{"messages": [{"role": "tool", "content": "hi"}, {"role": "assistant", "content": "x"}]}""", "messages[0].role must be system, user or assistant (was \"tool\")")]
    [InlineData("""{"messages": [{"role": "user", "content": 5}, {"role": "assistant", "content": "x"}]}""", "messages[0].content must be a string (was 5)")]
    [InlineData("""{"messages": [{"role": "user"}, {"role": "assistant", "content": "x"}]}""", "messages[0].content must be a string (was missing)")]
    [InlineData("""{"messages": []}""", "messages must be a non-empty list of {\"role\": ..., \"content\": ...} (was [])")]
    [InlineData("""{"prompt": "a", "response": "b"}""", "a prompt/response row in a file of chat rows (line 1, {\"messages\": ...}); one file holds one format")]
    public void A_bad_chat_row_is_refused_with_file_line_and_key(string row, string message)
    {
        var train = temp.Combine("tiny-chat", "data", "train.jsonl");
        File.WriteAllLines(train, [Conversation("q", "a"), row]);

        var error = Assert.Throws<InputException>(() => new CausalLmData(Spec()));

        Assert.Equal($"{train}:2: {message}", error.Message);
    }

    [Fact]
    public void A_conversation_longer_than_max_length_is_refused_not_cut()
    {
        var train = temp.Combine("tiny-chat", "data", "train.jsonl");
        File.WriteAllLines(train, [Conversation("q", "a"), Conversation(string.Join(' ', Enumerable.Repeat("Where is my order?", 20)), "Soon.")]);

        var error = Assert.Throws<InputException>(() => new CausalLmData(Spec()));

        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(train)}:2: messages: the conversation is \\d+ tokens with the chat template, more than task.max_length 96 \\(shorten it or raise task.max_length\\)$", error.Message);
    }

    [Fact]
    public void A_template_that_refuses_the_conversation_is_named_with_the_row()
    {
        var config = temp.Combine("model", "tokenizer_config.json");
        File.WriteAllText(config, """{"chat_template": "{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}x"}""");
        var train = temp.Combine("tiny-chat", "data", "train.jsonl");

        var error = Assert.Throws<InputException>(() => new CausalLmData(Spec()));

        Assert.Equal($"{train}:1: messages: {config}: the chat template refused the conversation (template line 1): System role not supported", error.Message);
    }

    [Fact]
    public void Chat_rows_on_a_checkpoint_without_a_chat_template_are_refused_naming_the_file()
    {
        File.Delete(temp.Combine("model", "tokenizer_config.json"));
        var train = temp.Combine("tiny-chat", "data", "train.jsonl");

        var error = Assert.Throws<InputException>(() => new CausalLmData(Spec()));

        Assert.StartsWith($"{train}: chat rows ({{\"messages\": ...}}) are rendered with the base model's chat template, and base_model {temp.Combine("model")} has none", error.Message);
    }

    [Fact]
    public void A_chat_row_in_a_prompt_response_file_is_refused()
    {
        var train = temp.Combine("tiny-chat", "data", "train.jsonl");
        File.WriteAllLines(train, ["""{"prompt": "a", "response": "b"}""", Conversation("q", "a")]);

        var error = Assert.Throws<InputException>(() => new CausalLmData(Spec()));

        Assert.Equal($"{train}:2: messages: a chat row in a file of prompt/response rows (line 1); one file holds one format", error.Message);
    }
}
