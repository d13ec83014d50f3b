using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using CsCheck;
using PeftOps.Configuration;
using PeftOps.Modeling.Safetensors;
using PeftOps.Modeling.Tokenization;
using PeftOps.Peft.Format;
using PeftOps.Training.Data;

namespace PeftOps.Reliability;

/// <summary>
/// The readers of every file a user or a pull request hands PeftOps, each seeded with the repository's own valid
/// files (tests/data, adapters/support-intents), and the command line itself (<see cref="CliTarget"/>).
/// </summary>
internal static class FuzzTargets
{
    public static readonly string[] Names =
        ["safetensors", "adapter-config", "tokenizer-json", "spec-yaml", "data-jsonl", "data-csv", "data-tsv", "data-prompt-response", "cli"];

    private static readonly string[] JsonTokens =
        ["\"", "null", "true", "false", "-1", "0", "1e999", "-0.0", "9223372036854775808", "{}", "[]", "[[[[", "{\"a\":", "\\u", "\\ud800", "\"\\ud800\"", ",", ":", "\"text\"", "\"label\"", "\"type\"", "\"vocab\"", "\"merges\""];

    private static readonly string[] YamlTokens =
        [": ", "- ", "~", "null", "&a ", "*a", "<<: *a", "!!binary ", "!!int ", "!custom ", "{", "}", "[", "]", "'", "\"", "? ", "---", "...", "%YAML 1.2", "|", ">", "#",
         "0", "-1", "1e400", ".nan", ".inf", "0x10", "1000000000", "true", "yes", "\"\"", "[]", "{}", "[3, 4, 50]", "../../../../etc/passwd", "/", "data", "lora", "ia3", "dora",
         "sequence-classification", "causal-lm", "builtin:all-MiniLM-L6-v2", "query", "value", "\t", "\u00e9", "\ud83d\udc4b"];

    private static readonly string[] TableTokens = ["\"", "\"\"", ",", "\t", "\r", "label", "text", "category", "5.0", "-1", "NaN", "1e400", "\u00e9", "\ud83d\udc4b", "{\"text\": 1}", "42", "[]"];

    public static FuzzTarget Create(string name, string repoRoot, string work) => name switch
    {
        "safetensors" => Safetensors(repoRoot, Folder(work, name)),
        "adapter-config" => AdapterConfig(repoRoot, Folder(work, name)),
        "tokenizer-json" => TokenizerJsonTarget(repoRoot, Folder(work, name)),
        "spec-yaml" => SpecYaml(repoRoot, Folder(work, name)),
        "data-jsonl" => Data(name, ".jsonl", Folder(work, name), JsonlCorpus(repoRoot), JsonTokens,
            path => DataFile.ReadLabeled(path), path => DataFile.ReadLabeled(path, labelRequired: false)),
        "data-csv" => Data(name, ".csv", Folder(work, name), [Csv(repoRoot)], TableTokens, path => DataFile.ReadLabeled(path)),
        "data-tsv" => Data(name, ".tsv", Folder(work, name), [Head(Path.Combine(repoRoot, "adapters", "support-intents", "eval", "general_pairs.tsv"), 40)], TableTokens, path => DataFile.ReadPairs(path)),
        "data-prompt-response" => Data(name, ".jsonl", Folder(work, name), [PromptResponse(repoRoot)], JsonTokens, path => DataFile.ReadPromptResponse(path)),
        "cli" => CliTarget.Create(repoRoot, Folder(work, name)),
        _ => throw new ArgumentException($"unknown fuzz target '{name}' (expected one of {string.Join(", ", Names)})", nameof(name)),
    };

    private static FuzzTarget Safetensors(string repoRoot, string work)
    {
        var fixtures = Path.Combine(repoRoot, "tests", "data", "hf-peft");
        var corpus = new[] { "tiny-bert/io.safetensors", "bert-ia3/adapter_model.safetensors", "bert-lora/adapter_model.safetensors", "bert-dora/adapter_model.safetensors", "llama-lora/adapter_model.safetensors" }
            .Select(f => File.ReadAllBytes(Path.Combine(fixtures, f))).ToList();
        var file = Path.Combine(work, "adapter_model.safetensors");
        return new FuzzTarget
        {
            Name = "safetensors",
            Extension = ".safetensors",
            Generate = FuzzTarget.Mutating(corpus, JsonTokens, SafetensorsHeaderJson, SafetensorsLength),
            Run = input => WriteThen(file, input, () => SafetensorsFile.Read(file)),
        };
    }

    // The JSON header mutated as a document, the length prefix and the data section kept.
    private static byte[]? SafetensorsHeaderJson(PCG pcg, byte[] input)
    {
        if (input.Length < 8)
            return null;
        var length = BinaryPrimitives.ReadUInt64LittleEndian(input);
        if (length > (ulong)(input.Length - 8))
            return null;
        var header = JsonMutator.Mutate(pcg, input[8..(8 + (int)length)]);
        if (header is null)
            return null;
        var result = new byte[8 + header.Length + (input.Length - 8 - (int)length)];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)header.Length);
        header.CopyTo(result, 8);
        input.AsSpan(8 + (int)length).CopyTo(result.AsSpan(8 + header.Length));
        return result;
    }

    // After byte mutations the length prefix no longer fits: most of the time, make it fit the header's closing brace again.
    private static byte[] SafetensorsLength(PCG pcg, byte[] input)
    {
        if (input.Length < 8)
            return input;
        var end = Array.IndexOf(input, (byte)'}', 8 + (int)pcg.Next(Math.Max(1u, (uint)Math.Min(input.Length - 8, 4096))));
        var close = Array.LastIndexOf(input, (byte)'}', end < 0 ? input.Length - 1 : end);
        if (close < 8)
            return input;
        var copy = (byte[])input.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(copy, (ulong)(close - 7));
        return copy;
    }

    private static FuzzTarget AdapterConfig(string repoRoot, string work)
    {
        var fixtures = Path.Combine(repoRoot, "tests", "data", "hf-peft");
        var corpus = new[] { "bert-lora", "bert-lora-default-init", "bert-dora", "bert-ia3", "llama-lora" }
            .Select(d => File.ReadAllBytes(Path.Combine(fixtures, d, PeftFormat.ConfigFileName))).ToList();
        var file = Path.Combine(work, PeftFormat.ConfigFileName);
        return new FuzzTarget
        {
            Name = "adapter-config",
            Extension = ".json",
            Generate = FuzzTarget.Mutating(corpus, JsonTokens, JsonMutator.Mutate),
            // read, and written back as the trainer writes it
            Run = input => WriteThen(file, input, () => PythonJson.Serialize(PeftConfigFile.ToJson(PeftConfigFile.Read(file).Config))),
        };
    }

    private static FuzzTarget TokenizerJsonTarget(string repoRoot, string work)
    {
        var styles = Path.Combine(repoRoot, "tests", "data", "tokenizers", "byte-level-bpe");
        var corpus = Directory.GetDirectories(styles).Order(StringComparer.Ordinal)
            .Select(d => File.ReadAllBytes(Path.Combine(d, "tokenizer.json")))
            .Append("""{"model": {"type": "WordLevel", "unk_token": "<unk>", "vocab": {"<unk>": 0, "red": 1, "sky": 2, ".": 3}}, "pre_tokenizer": {"type": "Whitespace"}}"""u8.ToArray())
            .ToList();
        var file = Path.Combine(work, "tokenizer.json");
        return new FuzzTarget
        {
            Name = "tokenizer-json",
            Extension = ".json",
            Generate = FuzzTarget.Mutating(corpus, JsonTokens, JsonMutator.Mutate),
            // a tokenizer that loads must also encode: the first training batch is where it would fail otherwise
            Run = input => WriteThen(file, input, () => TokenizerJson.Load(file).Encode("Hello world, it's 2026! caf\u00e9 \ud83d\udc4b <|endoftext|>")),
        };
    }

    private static FuzzTarget SpecYaml(string repoRoot, string work)
    {
        // the spec in a folder named after it, beside a copy of its data, so a mutated spec gets past "file not found"
        var source = Path.Combine(repoRoot, "adapters", "support-intents");
        var adapter = Path.Combine(work, "support-intents");
        foreach (var folder in new[] { "data", "eval" })
        {
            Directory.CreateDirectory(Path.Combine(adapter, folder));
            foreach (var file in Directory.GetFiles(Path.Combine(source, folder)))
                File.Copy(file, Path.Combine(adapter, folder, Path.GetFileName(file)), overwrite: true);
        }
        var corpus = new List<byte[]>
        {
            File.ReadAllBytes(Path.Combine(source, AdapterSpecLoader.FileName)),
            """
            name: support-intents
            base_model: builtin:all-MiniLM-L6-v2
            task: {type: sequence-classification, max_length: 16}
            method: {type: ia3, target_modules: [key, value, output.dense], feedforward_modules: [output.dense]}
            data: {train: data/train.jsonl}
            training: {epochs: 1, batch_size: 4, learning_rate: 1.0e-2, seed: 7}
            evaluation:
              target:
                - {name: intents, data: data/test.jsonl}
            gate:
              target: [{metric: intents.accuracy, min: 0.0}]
            """u8.ToArray(),
        };
        var spec = Path.Combine(adapter, AdapterSpecLoader.FileName);
        return new FuzzTarget
        {
            Name = "spec-yaml",
            Extension = ".yaml",
            Generate = FuzzTarget.Mutating(corpus, YamlTokens, (pcg, input) => LineMutator.Mutate(pcg, input, YamlTokens)),
            Run = input => WriteThen(spec, input, () => AdapterSpecLoader.Load(adapter)),
        };
    }

    private static FuzzTarget Data(string name, string extension, string work, IReadOnlyList<byte[]> corpus, string[] dictionary, params Action<string>[] readers)
    {
        var file = Path.Combine(work, "data" + extension);
        return new FuzzTarget
        {
            Name = name,
            Extension = extension,
            Generate = FuzzTarget.Mutating(corpus, dictionary, (pcg, input) => pcg.Next(2) == 0
                ? LineMutator.Mutate(pcg, input, dictionary)
                : JsonLinesMutate(pcg, input)),
            Run = input => WriteThen(file, input, () =>
            {
                foreach (var read in readers)
                {
                    if (FuzzTarget.Handled(() => read(file)) is { } crash)
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(crash);
                }
            }),
        };
    }

    // One line of a JSONL file mutated as a JSON document; other formats fall back to line mutations.
    private static byte[]? JsonLinesMutate(PCG pcg, byte[] input)
    {
        var lines = Encoding.UTF8.GetString(input).Split('\n');
        var at = (int)pcg.Next((uint)lines.Length);
        if (JsonMutator.Mutate(pcg, Encoding.UTF8.GetBytes(lines[at])) is not { } mutated)
            return null;
        lines[at] = Encoding.UTF8.GetString(mutated);
        return Encoding.UTF8.GetBytes(string.Join('\n', lines));
    }

    private static byte[][] JsonlCorpus(string repoRoot)
    {
        var adapter = Path.Combine(repoRoot, "adapters", "support-intents");
        return [Head(Path.Combine(adapter, "data", "validation.jsonl"), 30), Head(Path.Combine(adapter, "eval", "off_topic.jsonl"), 30)];
    }

    private static byte[] Csv(string repoRoot)
    {
        var rows = Rows(repoRoot, 30).Select(r => $"\"{r.Text.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{r.Label}");
        return Encoding.UTF8.GetBytes("text,label\n" + string.Join('\n', rows) + "\n");
    }

    private static byte[] PromptResponse(string repoRoot) =>
        Encoding.UTF8.GetBytes(string.Join('\n', Rows(repoRoot, 30).Select(r => JsonSerializer.Serialize(new { prompt = r.Text, response = r.Label }))) + "\n");

    private static IEnumerable<(string Text, string Label)> Rows(string repoRoot, int count) =>
        File.ReadLines(Path.Combine(repoRoot, "adapters", "support-intents", "data", "validation.jsonl")).Take(count).Select(line =>
        {
            using var row = JsonDocument.Parse(line);
            return (row.RootElement.GetProperty("text").GetString()!, row.RootElement.GetProperty("label").GetString()!);
        }).ToList();

    private static byte[] Head(string path, int lines) => Encoding.UTF8.GetBytes(string.Join('\n', File.ReadLines(path).Take(lines)) + "\n");

    private static Exception? WriteThen(string file, byte[] input, Action read)
    {
        File.WriteAllBytes(file, input);
        return FuzzTarget.Handled(read);
    }

    private static string Folder(string work, string name)
    {
        var folder = Path.Combine(work, name);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
