using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Onnx;

/// <summary>
/// Recovers a Hugging Face BertModel state dict from a PyTorch ONNX export. Embeddings, LayerNorms and biases keep
/// their HF names as initializers; each Linear weight is an anonymous initializer (<c>"927"</c>, <c>[in, out]</c>)
/// feeding a MatMul whose output goes into the Add with the named bias, so its name is the bias's with
/// <c>.weight</c>, transposed. The pooler is a Gemm (<c>transB = 1</c>) that keeps its name and layout.
/// Buffers (<c>embeddings.position_ids</c>) and the graph's int64 shape constants are not parameters.
/// </summary>
public static class OnnxBertImport
{
    /// <summary>Maps every float parameter initializer of <paramref name="model"/> to its HF name.</summary>
    /// <exception cref="InvalidDataException">the graph does not have the shape of a BERT export.</exception>
    public static IReadOnlyList<OnnxWeightMapping> MapInitializers(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var consumers = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var input in node.Input)
            {
                if (!consumers.TryGetValue(input, out var list))
                    consumers[input] = list = [];
                list.Add(node);
            }
        }

        var mappings = new List<OnnxWeightMapping>();
        foreach (var initializer in graph.Initializer)
        {
            if (initializer.DataType != (int)TensorProto.Types.DataType.Float)
                continue; // int64 shape constants
            if (initializer.Name.EndsWith("position_ids", StringComparison.Ordinal))
                continue; // a buffer, not a parameter

            if (!IsAnonymous(initializer.Name))
            {
                var gemm = consumers.GetValueOrDefault(initializer.Name)?.FirstOrDefault(n => n.OpType == "Gemm" && n.Input.Count > 1 && n.Input[1] == initializer.Name);
                var transposed = gemm is not null && (gemm.Attribute.FirstOrDefault(a => a.Name == "transB")?.I ?? 0) == 0;
                mappings.Add(new OnnxWeightMapping(initializer.Name, initializer.Name, transposed));
                continue;
            }

            mappings.Add(new OnnxWeightMapping(NameOfMatMulWeight(initializer, consumers, initializers), initializer.Name, Transpose: true));
        }

        var duplicate = mappings.GroupBy(m => m.HfName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidDataException($"initializers {string.Join(", ", duplicate.Select(m => m.InitializerName))} all map to '{duplicate.Key}'");
        return mappings;
    }

    /// <summary>The HF state dict of <paramref name="model"/>: float32 CPU tensors, Linear weights <c>[out, in]</c>.</summary>
    public static Dictionary<string, Tensor> ReadWeights(ModelProto model)
    {
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var mapping in MapInitializers(model))
            {
                var tensor = ToTensor(initializers[mapping.InitializerName]);
                if (mapping.Transpose)
                {
                    var transposed = tensor.t().contiguous();
                    tensor.Dispose();
                    tensor = transposed;
                }
                result.Add(mapping.HfName, tensor);
            }
            return result;
        }
        catch
        {
            foreach (var tensor in result.Values)
                tensor.Dispose();
            throw;
        }
    }

    /// <summary>A float32 CPU tensor with the initializer's values (raw little-endian bytes or float_data).</summary>
    public static Tensor ToTensor(TensorProto initializer)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        if (initializer.DataType != (int)TensorProto.Types.DataType.Float)
            throw new InvalidDataException($"initializer '{initializer.Name}' is {(TensorProto.Types.DataType)initializer.DataType}, not float");
        if (initializer.DataLocation == TensorProto.Types.DataLocation.External)
            throw new InvalidDataException($"initializer '{initializer.Name}' keeps its data in an external file");
        var shape = initializer.Dims.ToArray();
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var tensor = empty(shape, ScalarType.Float32, CPU);
        if (!initializer.RawData.IsEmpty)
        {
            if (initializer.RawData.Length != count * sizeof(float))
                throw new InvalidDataException($"initializer '{initializer.Name}' has {initializer.RawData.Length} bytes for shape [{string.Join(",", shape)}]");
            initializer.RawData.Span.CopyTo(tensor.bytes);
        }
        else
        {
            if (initializer.FloatData.Count != count)
                throw new InvalidDataException($"initializer '{initializer.Name}' has {initializer.FloatData.Count} values for shape [{string.Join(",", shape)}]");
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(initializer.FloatData.ToArray().AsSpan()).CopyTo(tensor.bytes);
        }
        return tensor;
    }

    private static bool IsAnonymous(string name) => name.Length > 0 && name.All(char.IsAsciiDigit);

    /// <summary><c>W</c> in <c>Add(bias, MatMul(x, W))</c>: named after the bias.</summary>
    private static string NameOfMatMulWeight(TensorProto weight, Dictionary<string, List<NodeProto>> consumers, Dictionary<string, TensorProto> initializers)
    {
        var uses = consumers.GetValueOrDefault(weight.Name) ?? [];
        if (uses.Count != 1 || uses[0].OpType != "MatMul" || uses[0].Input.Count != 2 || uses[0].Input[1] != weight.Name)
            throw new InvalidDataException($"anonymous initializer '{weight.Name}' [{string.Join(",", weight.Dims)}] is not the weight of exactly one MatMul");
        if (weight.Dims.Count != 2)
            throw new InvalidDataException($"MatMul weight '{weight.Name}' has rank {weight.Dims.Count}, expected 2");

        var matMulOutput = uses[0].Output[0];
        var adds = consumers.GetValueOrDefault(matMulOutput) ?? [];
        if (adds.Count != 1 || adds[0].OpType != "Add")
            throw new InvalidDataException($"the MatMul of '{weight.Name}' does not feed exactly one Add");
        var bias = adds[0].Input.FirstOrDefault(i => i != matMulOutput && initializers.ContainsKey(i) && i.EndsWith(".bias", StringComparison.Ordinal))
            ?? throw new InvalidDataException($"the Add after the MatMul of '{weight.Name}' has no named bias");
        var biasTensor = initializers[bias];
        if (biasTensor.Dims.Count != 1 || biasTensor.Dims[0] != weight.Dims[1])
            throw new InvalidDataException($"bias '{bias}' [{string.Join(",", biasTensor.Dims)}] does not match MatMul weight '{weight.Name}' [{string.Join(",", weight.Dims)}]");
        return string.Concat(bias.AsSpan(0, bias.Length - ".bias".Length), ".weight");
    }
}

/// <summary>
/// Where one Hugging Face parameter lives in an ONNX graph: the initializer, and whether it is stored as
/// <c>[in, out]</c> (a MatMul right-hand side) and must be transposed to PyTorch's <c>[out, in]</c>.
/// </summary>
public sealed record OnnxWeightMapping(string HfName, string InitializerName, bool Transpose);
