using PeftOps.TestSupport;

namespace PeftOps.Cli.Tests;

/// <summary>
/// <c>peftops embed</c>'s refusals. The fixtures' tiny checkpoints carry no vocab.txt, so a successful run
/// needs a checkpoint with a WordPiece vocabulary (all-MiniLM-L6-v2).
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
