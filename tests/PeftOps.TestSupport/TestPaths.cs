namespace PeftOps.TestSupport;

/// <summary>Where the repository, its test data and the optional <c>../shared</c> folder are.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary><c>tests/data</c>: fixtures committed with the repository.</summary>
    public static string TestData => Path.Combine(RepoRoot, "tests", "data");

    /// <summary><c>tests/data/hf-peft</c>: Hugging Face PEFT reference fixtures (see its README).</summary>
    public static string HfPeftFixtures => Path.Combine(TestData, "hf-peft");

    /// <summary>
    /// <c>tests/data/hf-peft-decoders</c>: tiny Qwen2 and Mistral decoders, their LoRA adapters and greedy generations made
    /// by transformers 4.46.3 and PEFT 0.14.0 (see its README); llama-lora's generations are for tests/data/hf-peft's adapter.
    /// </summary>
    public static string HfPeftDecoderFixtures => Path.Combine(TestData, "hf-peft-decoders");

    /// <summary>
    /// <c>tests/data/tokenizers/byte-level-bpe/STYLE</c>: a byte-level BPE tokenizer.json in the shape of GPT-2,
    /// RoBERTa, Llama 3 or Qwen2, with Hugging Face tokenizers' encodings of tricky texts (golden.jsonl).
    /// </summary>
    public static string ByteLevelBpe(string style) => Path.Combine(TestData, "tokenizers", "byte-level-bpe", style);

    /// <summary>The shared folder beside the checkout (public datasets), or null when absent.</summary>
    public static string? SharedDirectory
    {
        get
        {
            var shared = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
            return Directory.Exists(Path.Combine(shared, "datasets")) ? shared : null;
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PeftOps.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"PeftOps.sln not found above {AppContext.BaseDirectory}");
    }
}
