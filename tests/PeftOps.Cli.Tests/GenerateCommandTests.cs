using System.Text.Json;
using PeftOps.Modeling.Safetensors;
using PeftOps.TestSupport;
using static TorchSharp.torch;

namespace PeftOps.Cli.Tests;

/// <summary>
/// <c>peftops generate</c> on the qwen2-lora fixture of tests/data/hf-peft-decoders: the tokens transformers' greedy
/// <c>generate</c> gave, one JSON line per input row; bad input exits 2 naming file, line and key, and writes nothing.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class GenerateCommandTests : IDisposable
{
    private static readonly string Fixtures = TestPaths.HfPeftDecoderFixtures;
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private string Input => dir.Combine("input.jsonl");
    private string Out => dir.Combine("out.jsonl");

    private static string[] Args(string input, string output, params string[] extra) =>
    [
        "generate", "--base", Path.Combine(Fixtures, "tiny-qwen2"), "--adapter", Path.Combine(Fixtures, "qwen2-lora"),
        "--input", input, "--out", output, .. (extra.Contains("--max-new-tokens") ? extra : ["--max-new-tokens", "12", .. extra]),
    ];

    [Fact]
    public async Task Peftops_generate_as_a_process_writes_the_tokens_transformers_generated()
    {
        var generated = SafetensorsTorch.Load(Path.Combine(Fixtures, "qwen2-lora", "generate.safetensors"));
        static long[] Ids(Tensor t) => t.data<long>().ToArray();
        await File.WriteAllLinesAsync(Input, Enumerable.Range(0, 3).Select(i =>
            JsonSerializer.Serialize(new { id = $"row-{i}", input_ids = Ids(generated[$"prompt.{i}"]) })));

        var result = await PeftOpsRunner.AsProcess(new Dictionary<string, string>(), Args(Input, Out, "--batch-size", "2"));

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.StartsWith($"wrote {Out}: 3 completions, 36 new tokens", result.Stdout, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(Out);
        Assert.Equal(3, lines.Length);
        for (var i = 0; i < 3; i++)
        {
            using var row = JsonDocument.Parse(lines[i]);
            var r = row.RootElement;
            Assert.Equal(["id", "text", "tokens", "prompt_tokens", "completion_tokens", "finish_reason"], r.EnumerateObject().Select(p => p.Name));
            Assert.Equal($"row-{i}", r.GetProperty("id").GetString());
            Assert.Equal(Ids(generated[$"adapter.tokens.{i}"]), r.GetProperty("tokens").EnumerateArray().Select(e => e.GetInt64()));
            Assert.Equal(generated[$"prompt.{i}"].shape[1], r.GetProperty("prompt_tokens").GetInt64());
            Assert.Equal(12, r.GetProperty("completion_tokens").GetInt32());
            Assert.Equal("length", r.GetProperty("finish_reason").GetString());
        }
    }

    public static TheoryData<string, string, string[]> BadInputs => new()
    {
        { """{"prompt": "a", "input_ids": [5]}""", "2: prompt and input_ids given together (expected exactly one of prompt, messages, input_ids)", [] },
        { """{"id": 1}""", "2: prompt missing (expected exactly one of prompt, messages, input_ids)", [] },
        { """{"input_ids": [5, "x"]}""", "2: input_ids[1] must be a non-negative integer (was \"x\")", [] },
        { """{"input_ids": [5, 600]}""", "2: input_ids holds 600 (expected 0 to 511, the model's vocabulary)", [] },
        { """{"id": [1], "input_ids": [5]}""", "2: id must be a string or a number (was [1])", [] },
        { """{"input_ids": [5, 6, 7]}""", "2: input_ids is 3 tokens; with --max-new-tokens 126 that exceeds the model's 128 positions (max_position_embeddings)", ["--max-new-tokens", "126"] },
        { """{"prompt": "hello"}""", "no tokenizer.json or tokenizer.model, so text prompts cannot be tokenized (give token ids)", [] },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task A_bad_row_exits_2_naming_file_line_and_key_and_writes_nothing(string secondLine, string message, string[] extra)
    {
        await File.WriteAllLinesAsync(Input, ["""{"input_ids": [5, 6]}""", secondLine]);
        await File.WriteAllTextAsync(Out, "left alone");

        var result = await PeftOpsRunner.InProcess(Args(Input, Out, extra));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.Equal("left alone", await File.ReadAllTextAsync(Out));
    }

    [Fact]
    public async Task A_chat_row_is_refused_until_chat_templates_render()
    {
        await File.WriteAllLinesAsync(Input, ["""{"messages": [{"role": "user", "content": "hi"}]}"""]);

        var result = await PeftOpsRunner.InProcess(Args(Input, Out));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"peftops: {Input}:1: messages: chat rows need the checkpoint's chat template, which this build cannot render yet (give prompt or input_ids)", result.Stderr.Trim());
        Assert.False(File.Exists(Out));
    }
}
