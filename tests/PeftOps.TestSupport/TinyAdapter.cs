
namespace PeftOps.TestSupport;

/// <summary>
/// An adapter folder on the tiny random BERT of tests/data/hf-peft with a small vocabulary, three colour
/// intents written for the tests, and a spec that trains in a second or two.
/// </summary>
public sealed class TinyAdapter : IDisposable
{
    private static readonly string[] Words =
        ["red", "green", "blue", "apple", "grass", "sky", "fire", "leaf", "sea", "ruby", "moss", "ocean", "i", "like", "the", "a", "my", "is", "colour", "of", "see", "want", "paint", "it"];

    private readonly TempDirectory temp = new("peftops-tiny");


    public TinyAdapter(string extraYaml = "")
    {
        var model = Model;
        System.IO.Directory.CreateDirectory(model);
        foreach (var file in new[] { "config.json", "model.safetensors" })
            File.Copy(Path.Combine(TestPaths.HfPeftFixtures, "tiny-bert", file), Path.Combine(model, file));
        var vocab = new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "." }.Concat(Words);
        File.WriteAllLines(Path.Combine(model, "vocab.txt"), vocab.Concat(Enumerable.Range(0, 512 - 6 - Words.Length).Select(i => $"[unused{i}]")));
        System.IO.Directory.CreateDirectory(Combine("data"));
        WriteExamples("data/train.jsonl", 0, 8);
        WriteExamples("data/validation.jsonl", 8, 3);
        WriteExamples("data/test.jsonl", 11, 4);
        File.WriteAllText(Combine("adapter.yaml"), $$"""
            name: tiny
            base_model: {{model}}
            task: {type: sequence-classification, max_length: 16}
            method: {type: lora, r: 4, alpha: 8, dropout: 0.1, target_modules: [query, value]}
            data: {train: data/train.jsonl, validation: data/validation.jsonl}
            training: {epochs: 3, batch_size: 4, learning_rate: 1.0e-2, seed: 7, checkpoint_every: 2}
            evaluation:
              target:
                - {name: colours, data: data/test.jsonl}
            gate:
              target: [{metric: colours.accuracy, min: 0.0}]
            {{extraYaml}}
            """);
    }

    public string Directory => Path.Combine(temp.Path, "tiny");

    /// <summary>The base model's folder (the tiny BERT and the vocabulary written for it), which the spec's <c>base_model</c> names.</summary>
    public string Model => temp.Combine("model");

    public string Combine(params string[] parts) => Path.Combine([Directory, .. parts]);

    public void Dispose() => temp.Dispose();

    private void WriteExamples(string file, int offset, int perLabel)
    {
        string[][] cues = [["red", "fire", "ruby", "apple"], ["green", "grass", "leaf", "moss"], ["blue", "sky", "sea", "ocean"]];
        string[] labels = ["red", "green", "blue"];
        var lines = new List<string>();
        for (var i = 0; i < perLabel; i++)
        {
            for (var l = 0; l < 3; l++)
            {
                var cue = cues[l][(i + offset) % 4];
                var filler = Words[12 + ((i + offset + l) % 12)];
                lines.Add($"{{\"text\": \"{filler} {cue} {Words[12 + ((i * 7 + offset) % 12)]} {cue}\", \"label\": \"{labels[l]}\"}}");
            }
        }
        File.WriteAllLines(Combine(file), lines);
    }
}
