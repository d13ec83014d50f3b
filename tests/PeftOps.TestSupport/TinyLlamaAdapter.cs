namespace PeftOps.TestSupport;

/// <summary>
/// A causal-LM adapter folder on the tiny random Llama of tests/data/hf-peft, with a word-level tokenizer.json
/// written for the tests (or a given one), prompt/response pairs that teach fixed answers, and general text for perplexity.
/// The random model's lm_head (weights ~ N(0, 0.02)) cannot make confident predictions, so it trains too.
/// </summary>
public sealed class TinyLlamaAdapter : IDisposable
{
    private static readonly string[] Words =
        ["what", "is", "the", "colour", "of", "sky", "grass", "fire", "sea", "blue", "green", "red", "a", "cat", "sat", "on", "mat", "dog", "ran", "in", "park", "?", ".", "user", "assistant", "system", ":"];

    private readonly TempDirectory temp = new("peftops-tiny-llama");

    /// <param name="tokenizerJson">a tokenizer.json to give the model instead of the word-level one; its ids must stay under 512</param>
    /// <param name="chatTemplate">a Jinja chat template for the model's tokenizer_config.json (bos &lt;s&gt;, eos &lt;/s&gt;); none when null</param>
    public TinyLlamaAdapter(string? tokenizerJson = null, string? chatTemplate = null)
    {
        var model = temp.Combine("model");
        System.IO.Directory.CreateDirectory(model);
        foreach (var file in new[] { "config.json", "model.safetensors" })
            File.Copy(Path.Combine(TestPaths.HfPeftFixtures, "tiny-llama", file), Path.Combine(model, file));
        File.WriteAllText(Path.Combine(model, "tokenizer.json"), tokenizerJson is null ? WordLevelTokenizerJson() : File.ReadAllText(tokenizerJson));
        if (chatTemplate is not null)
        {
            File.WriteAllText(Path.Combine(model, "tokenizer_config.json"), System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["bos_token"] = "<s>", ["eos_token"] = "</s>", ["unk_token"] = "<unk>", ["chat_template"] = chatTemplate,
            }));
        }
        System.IO.Directory.CreateDirectory(Combine("data"));
        string[] answers = ["what is the colour of sky ?|blue .", "what is the colour of grass ?|green .", "what is the colour of fire ?|red .", "what is the colour of sea ?|blue ."];
        File.WriteAllLines(Combine("data", "train.jsonl"), Enumerable.Repeat(answers, 4).SelectMany(a => a).Select(Pair));
        File.WriteAllLines(Combine("data", "validation.jsonl"), answers.Select(Pair));
        File.WriteAllLines(Combine("data", "answers.jsonl"), answers.Select(a => $"{{\"text\": \"{a.Replace('|', ' ')}\"}}"));
        File.WriteAllLines(Combine("data", "general.jsonl"), new[] { "a cat sat on a mat .", "a dog ran in the park .", "the cat ran ." }.Select(t => $"{{\"text\": \"{t}\"}}"));
        File.WriteAllText(Combine("adapter.yaml"), $$$"""
            name: tiny-llama
            base_model: {{{model}}}
            task: {type: causal-lm, max_length: 24}
            method: {type: lora, r: 4, alpha: 8, target_modules: [q_proj, v_proj, o_proj, down_proj], modules_to_save: [lm_head]}
            data: {train: data/train.jsonl, validation: data/validation.jsonl}
            training: {epochs: 10, batch_size: 4, learning_rate: 2.0e-2, seed: 3, early_stopping: {metric: loss, patience: 3}}
            evaluation:
              target:
                - {name: answers, kind: perplexity, data: data/answers.jsonl}
              non_target:
                - {name: general, kind: perplexity, data: data/general.jsonl}
            gate:
              target: [{metric: answers.perplexity, min_delta: 0.0}]
              non_target: [{metric: general.perplexity, max_drop: 1000.0}]
            """);
    }

    public string Directory => Path.Combine(temp.Path, "tiny-llama");

    public string Combine(params string[] parts) => Path.Combine([Directory, .. parts]);

    public void Dispose() => temp.Dispose();

    // ids 0-2 are <unk>, <s>, </s> as config.json's bos_token_id 1 and eos_token_id 2 say
    private static string WordLevelTokenizerJson()
    {
        var vocab = new[] { "<unk>", "<s>", "</s>" }.Concat(Words).Select((w, i) => $"\"{w}\": {i}");
        return $"{{\"model\": {{\"type\": \"WordLevel\", \"unk_token\": \"<unk>\", \"vocab\": {{{string.Join(", ", vocab)}}}}}, \"pre_tokenizer\": {{\"type\": \"Whitespace\"}}}}";
    }

    private static string Pair(string qa)
    {
        var parts = qa.Split('|');
        return $"{{\"prompt\": \"{parts[0]}\", \"response\": \"{parts[1]}\"}}";
    }
}
