using System.Text;
using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Safetensors;
using PeftOps.Modeling.Tokenization;
using PeftOps.Peft.Format;
using PeftOps.Training.Data;
using PeftOps.TestSupport;

namespace PeftOps.Fuzzing.Tests;

/// <summary>Each crash the fuzzers found, as the bad input it now is: exit 2's exception with the exact message.</summary>
public sealed class FoundByFuzzingTests : IDisposable
{
    private readonly TempDirectory temp = new("peftops-found");

    [Fact]
    public void Adapter_config_with_a_number_among_module_names()
    {
        var path = Write("adapter_config.json", """{"peft_type": "LORA", "r": 8, "target_modules": ["query", 7]}""");
        Assert.Equal($"{path}: target_modules must be a list of strings (was [\"query\",7])", Read(path));
    }

    [Fact]
    public void Adapter_config_with_null_among_modules_to_save()
    {
        var path = Write("adapter_config.json", """{"peft_type": "LORA", "target_modules": ["query"], "modules_to_save": [null]}""");
        Assert.Equal($"{path}: modules_to_save must be a list of strings (was [null])", Read(path));
    }

    [Fact]
    public void Adapter_config_with_a_fraction_as_a_layer_or_rank()
    {
        var path = Write("adapter_config.json", """{"peft_type": "LORA", "target_modules": ["query"], "layers_to_transform": [1, 1.5]}""");
        Assert.Equal($"{path}: layers_to_transform must hold integers (was 1.5)", Read(path));
        File.WriteAllText(path, """{"peft_type": "LORA", "target_modules": ["query"], "rank_pattern": {"query": "8"}}""");
        Assert.Equal($"{path}: rank_pattern must hold integers (was \"8\")", Read(path));
        File.WriteAllText(path, """{"peft_type": "LORA", "target_modules": ["query"], "alpha_pattern": {"query": []}}""");
        Assert.Equal($"{path}: alpha_pattern must hold numbers (was [])", Read(path));
    }

    [Fact]
    public void Adapter_config_naming_a_key_twice()
    {
        var path = Write("adapter_config.json", """{"peft_type": "LORA", "bias": "none", "bias": "all"}""");
        Assert.StartsWith($"{path}: not valid JSON (Duplicate property 'bias'", Read(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Adapter_config_with_a_lone_surrogate_escape()
    {
        var path = Write("adapter_config.json", """{"peft_type": "LORA", "target_modules": ["q\ud800"]}""");
        Assert.Equal($"{path}: $.target_modules[0] holds an escape that is not valid UTF-16 (a lone surrogate such as \\ud800); expected text", Read(path));
        File.WriteAllText(path, """{"peft_type": "LORA", "\ud800": 1}""");
        Assert.Equal($"{path}: a key holds an escape that is not valid UTF-16 (a lone surrogate such as \\ud800); expected text", Read(path));
    }

    [Fact]
    public void Tokenizer_json_with_a_string_as_a_token_id()
    {
        var path = Write("tokenizer.json", """{"model": {"type": "WordLevel", "unk_token": "<unk>", "vocab": {"<unk>": 0, "red": "1"}}}""");
        Assert.Equal($"{path}: model.vocab.red is \"1\"; expected an integer token id", Tokenizer(path));
    }

    [Fact]
    public void Tokenizer_json_without_merges_or_with_a_pre_tokenizer_of_the_wrong_kind()
    {
        var path = Write("tokenizer.json", """{"model": {"type": "BPE", "vocab": {"a": 0}}}""");
        Assert.Equal($"{path}: model.merges is missing; expected an array", Tokenizer(path));
        File.WriteAllText(path, """{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}, "pre_tokenizer": {"type": "Sequence", "pretokenizers": [3]}}""");
        Assert.Equal($"{path}: pre_tokenizer.pretokenizers[0] is 3; expected an object", Tokenizer(path));
        File.WriteAllText(path, """{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [["a", 1]]}}""");
        Assert.Equal($"{path}: model.merges[0] is [\"a\", 1]; expected a pair: \"left right\" or [\"left\", \"right\"]", Tokenizer(path));
        File.WriteAllText(path, """{"model": {"type": 5}}""");
        Assert.Equal($"{path}: model.type is '5'; expected BPE (byte-level) or WordLevel, or give the checkpoint's SentencePiece tokenizer.model", Tokenizer(path));
    }

    [Fact]
    public void Tokenizer_json_with_an_added_token_without_an_id()
    {
        var path = Write("tokenizer.json", """
            {"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}, "pre_tokenizer": {"type": "ByteLevel"},
             "added_tokens": [{"content": "<s>", "id": null}]}
            """);
        Assert.Equal($"{path}: added_tokens[0].id is null; expected a number", Tokenizer(path));
    }

    [Fact]
    public void Jsonl_data_with_a_lone_surrogate_escape()
    {
        var path = Write("train.jsonl", "{\"text\": \"fine\", \"label\": \"a\"}\n{\"text\": \"broken \\ud800\", \"label\": \"a\"}\n");
        var error = Assert.Throws<InputException>(() => DataFile.ReadLabeled(path));
        Assert.Equal($"{path}:2: $.text holds an escape that is not valid UTF-16 (a lone surrogate such as \\ud800); expected text", error.Message);
        Assert.Throws<InputException>(() => DataFile.ReadPromptResponse(Write("sft.jsonl", "{\"prompt\": \"\\udc00\", \"response\": \"x\"}")));
    }

    [Fact]
    public void Safetensors_header_with_a_lone_surrogate_in_a_tensor_name()
    {
        var header = Encoding.UTF8.GetBytes("""{"w\udc00":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""");
        var bytes = new byte[8 + header.Length + 4];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), (ulong)header.Length);
        header.CopyTo(bytes, 8);
        var path = Path.Combine(temp.Path, "w.safetensors");
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InputException>(() => SafetensorsFile.Read(path));

        Assert.Equal($"{path}: header: $ (a key) holds an escape that is not valid UTF-16 (a lone surrogate such as \\ud800); expected text", error.Message);
    }

    [Fact]
    public void Spec_with_a_flow_mapping_left_open()
    {
        var error = Assert.Throws<InputException>(() => AdapterSpecLoader.Parse("name: x\ntask: {type: 1000000000\nmethod: {type: lora}\n", "a/adapter.yaml", temp.Path));
        Assert.Equal("a/adapter.yaml:3: not valid YAML: the parser stopped here; expected every '{' and '[' closed on the lines that follow", error.Message);
    }

    [Fact]
    public void An_empty_base_model_reference()
    {
        var error = Assert.Throws<InputException>(() => ModelLoader.Resolve(""));
        Assert.Equal("--base '': empty (expected builtin:all-MiniLM-L6-v2 or a Hugging Face checkpoint folder)", error.Message);
    }

    public void Dispose() => temp.Dispose();

    private string Write(string name, string text)
    {
        var path = Path.Combine(temp.Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Read(string path) => Assert.Throws<InputException>(() => PeftConfigFile.Read(path)).Message;

    private static string Tokenizer(string path) => Assert.Throws<InputException>(() => TokenizerJson.Load(path)).Message;
}
