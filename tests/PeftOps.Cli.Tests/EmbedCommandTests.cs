using System.Text.Json;
using PeftOps.Inference;
using PeftOps.Cli.Commands;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Peft;
using PeftOps.Training;
using PeftOps.TestSupport;
using static TorchSharp.torch;

namespace PeftOps.Cli.Tests;

/// <summary>
/// <c>peftops embed</c>. The fixtures' tiny checkpoints carry no vocab.txt, so a whole successful run needs a
/// checkpoint with a WordPiece vocabulary (all-MiniLM-L6-v2); the batching (Predictor's loop, as embed runs it) and
/// the JSONL writing are checked here with a stand-in encoder.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class EmbedCommandTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private string Texts()
    {
        var path = dir.Combine("texts.txt");
        File.WriteAllLines(path, ["where is my order", "I want a refund"]);
        return path;
    }

    // Stand-in for WordPiece: [CLS]=2, one id per character, [SEP]=3, padded with 0 to the longest text.
    private static (Tensor Ids, Tensor Mask) CharacterIds(IReadOnlyList<string> texts)
    {
        var rows = texts.Select(t => new long[] { 2 }.Concat(t.Select(c => (long)(c % 500) + 5)).Append(3L).ToArray()).ToList();
        var length = rows.Max(r => r.Length);
        var ids = zeros(rows.Count, length, ScalarType.Int64);
        var mask = zeros(rows.Count, length, ScalarType.Int64);
        for (var i = 0; i < rows.Count; i++)
        {
            ids[i].narrow(0, 0, rows[i].Length).copy_(tensor(rows[i]));
            mask[i].narrow(0, 0, rows[i].Length).fill_(1);
        }
        return (ids, mask);
    }

    [Fact]
    public void Writes_one_normalised_embedding_per_line_in_order_whatever_the_batch_and_padding()
    {
        using var model = ModelLoader.Load(Path.Combine(TestPaths.HfPeftFixtures, "tiny-bert"));
        new PeftModel(model).LoadAdapter(Path.Combine(TestPaths.HfPeftFixtures, "bert-lora"), "default");
        var texts = Enumerable.Range(0, EmbedCommand.BatchSize + 6)
            .Select(i => i switch { 0 => "", 1 => "quotes \"and\" back\\slash", 2 => "héllo wörld 日本 ✓", _ => new string('a', i % 17) + $" line {i}" })
            .ToList();
        using var stream = new MemoryStream();

        EmbedCommand.WriteJsonl(texts, batch => Predictor.Embeddings(model, batch, EmbedCommand.BatchSize, CharacterIds), stream);

        var lines = System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n');
        Assert.Equal(texts.Count + 1, lines.Length);
        Assert.Equal("", lines[^1]);
        for (var i = 0; i < texts.Count; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            Assert.Equal(["text", "embedding"], json.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal(texts[i], json.RootElement.GetProperty("text").GetString());
            var embedding = tensor(json.RootElement.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray());
            Assert.Equal(32, embedding.shape[0]);
            Assert.InRange(embedding.norm().item<float>(), 1 - 1e-5, 1 + 1e-5);
            var (ids, mask) = CharacterIds([texts[i]]);
            using (no_grad())
                TensorAssert.Close(model.Embed(ids, mask)[0], embedding, 1e-5, $"embedding of line {i} computed alone");
        }
    }

    [Fact]
    public async Task A_checkpoint_without_vocab_txt_exits_2_and_writes_nothing()
    {
        var output = dir.Combine("out.jsonl");
        var bert = Path.Combine(TestPaths.HfPeftFixtures, "tiny-bert");

        var result = await PeftOpsRunner.InProcess("embed", "--base", bert, "--adapter", Path.Combine(TestPaths.HfPeftFixtures, "bert-lora"), "--input", Texts(), "--out", output);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"peftops: {Path.Combine(bert, "vocab.txt")}: not found (embed tokenizes with the checkpoint's WordPiece vocabulary)\n", result.Stderr);
        Assert.Equal(["texts.txt"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_llama_base_exits_2()
    {
        var llama = Path.Combine(TestPaths.HfPeftFixtures, "tiny-llama");

        var result = await PeftOpsRunner.InProcess("embed", "--base", llama, "--input", Texts(), "--out", dir.Combine("out.jsonl"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"peftops: --base {llama}: embed needs a BERT encoder (this checkpoint is a Llama causal LM)\n", result.Stderr);
        Assert.False(File.Exists(dir.Combine("out.jsonl")));
    }

    [Fact]
    public async Task A_missing_input_file_exits_2()
    {
        var missing = dir.Combine("missing.txt");

        var result = await PeftOpsRunner.InProcess("embed", "--base", Path.Combine(TestPaths.HfPeftFixtures, "tiny-bert"), "--input", missing, "--out", dir.Combine("out.jsonl"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"peftops: --input {missing}: file not found (expected a text file, one text per line)\n", result.Stderr);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task Cuda_where_there_is_none_exits_2()
    {
        var result = await PeftOpsRunner.InProcess("embed", "--base", Path.Combine(TestPaths.HfPeftFixtures, "tiny-bert"), "--input", Texts(), "--out", dir.Combine("out.jsonl"), "--device", "cuda");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("peftops: --device cuda: CUDA is not available here", result.Stderr);
    }
}
