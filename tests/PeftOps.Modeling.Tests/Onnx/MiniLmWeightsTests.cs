using Onnx;
using PeftOps.Modeling.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Tests.Onnx;

public sealed class MiniLmWeightsTests : IClassFixture<MiniLmWeightsTests.Extracted>
{
    /// <summary>The graph is parsed and converted once for the class (about 90 MB).</summary>
    public sealed class Extracted : IDisposable
    {
        public ModelProto Model { get; } = MiniLmWeights.LoadOnnxModel();
        public Dictionary<string, Tensor> Weights { get; } = MiniLmWeights.Extract();

        public void Dispose()
        {
            foreach (var tensor in Weights.Values)
                tensor.Dispose();
        }
    }

    private readonly Extracted _extracted;

    public MiniLmWeightsTests(Extracted extracted) => _extracted = extracted;

    [Fact]
    public void Extracts_exactly_the_HF_BertModel_state_dict_with_its_shapes()
    {
        var config = MiniLmWeights.Config;
        long h = config.HiddenSize, i = config.IntermediateSize;
        var expectedShapes = new Dictionary<string, long[]>
        {
            ["embeddings.word_embeddings.weight"] = [config.VocabSize, h],
            ["embeddings.position_embeddings.weight"] = [config.MaxPositionEmbeddings, h],
            ["embeddings.token_type_embeddings.weight"] = [config.TypeVocabSize, h],
            ["embeddings.LayerNorm.weight"] = [h],
            ["embeddings.LayerNorm.bias"] = [h],
            ["pooler.dense.weight"] = [h, h],
            ["pooler.dense.bias"] = [h],
        };
        for (var layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            var p = $"encoder.layer.{layer}.";
            foreach (var m in new[] { "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense" })
            {
                expectedShapes[$"{p}{m}.weight"] = [h, h];
                expectedShapes[$"{p}{m}.bias"] = [h];
            }
            foreach (var m in new[] { "attention.output.LayerNorm", "output.LayerNorm" })
            {
                expectedShapes[$"{p}{m}.weight"] = [h];
                expectedShapes[$"{p}{m}.bias"] = [h];
            }
            expectedShapes[$"{p}intermediate.dense.weight"] = [i, h];
            expectedShapes[$"{p}intermediate.dense.bias"] = [i];
            expectedShapes[$"{p}output.dense.weight"] = [h, i];
            expectedShapes[$"{p}output.dense.bias"] = [h];
        }

        Assert.Equal(expectedShapes.Keys.Order(StringComparer.Ordinal), _extracted.Weights.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(expectedShapes.Keys.Order(StringComparer.Ordinal), config.StateDictNames().Order(StringComparer.Ordinal));
        foreach (var (name, shape) in expectedShapes)
        {
            Assert.Equal(shape, _extracted.Weights[name].shape);
            Assert.Equal(ScalarType.Float32, _extracted.Weights[name].dtype);
        }
    }

    [Fact]
    public void Has_22_7_million_parameters_with_the_pooler()
    {
        var total = _extracted.Weights.Values.Sum(t => t.numel());

        Assert.Equal(22_713_216L, total);
        Assert.Equal(total, MiniLmWeights.Config.ParameterCount);
        Assert.True(_extracted.Weights.Values.All(t => t.isfinite().all().item<bool>()));
    }

    [Fact]
    public void Maps_every_MatMul_initializer_to_one_distinct_Linear_weight()
    {
        var mappings = OnnxBertImport.MapInitializers(_extracted.Model);
        var anonymousMatrices = _extracted.Model.Graph.Initializer
            .Where(t => t.DataType == (int)TensorProto.Types.DataType.Float && t.Name.All(char.IsAsciiDigit))
            .Select(t => t.Name)
            .ToHashSet();
        var matMulWeights = _extracted.Model.Graph.Node.Where(n => n.OpType == "MatMul" && anonymousMatrices.Contains(n.Input[1])).Select(n => n.Input[1]).ToList();

        var transposed = mappings.Where(m => m.Transpose).ToList();

        Assert.Equal(36, anonymousMatrices.Count); // 6 layers x (query, key, value, attention output, intermediate, output)
        Assert.Equal(anonymousMatrices.Order(), matMulWeights.Order());
        Assert.Equal(anonymousMatrices.Order(), transposed.Select(m => m.InitializerName).Order());
        Assert.Equal(transposed.Count, transposed.Select(m => m.HfName).Distinct().Count());
        Assert.All(transposed, m => Assert.Matches(@"^encoder\.layer\.[0-5]\.(attention\.self\.(query|key|value)|attention\.output\.dense|intermediate\.dense|output\.dense)\.weight$", m.HfName));
        Assert.All(mappings.Where(m => !m.Transpose), m => Assert.Equal(m.HfName, m.InitializerName));
        Assert.Equal(mappings.Count, mappings.Select(m => m.HfName).Distinct().Count());
    }

    [Fact]
    public void Keeps_the_word_embedding_row_of_CLS_as_the_graph_stores_it()
    {
        var tokenizer = MiniLmResources.CreateTokenizer();
        var initializer = _extracted.Model.Graph.Initializer.Single(t => t.Name == "embeddings.word_embeddings.weight");
        var rowBytes = MiniLmWeights.Config.HiddenSize * sizeof(float);

        var expected = initializer.RawData.Span.Slice(tokenizer.ClsId * rowBytes, rowBytes).ToArray();
        using var row = _extracted.Weights["embeddings.word_embeddings.weight"][tokenizer.ClsId].contiguous();

        Assert.Equal(expected, row.bytes.ToArray());
    }

    [Fact]
    public void Transposes_Linear_weights_so_that_linear_equals_the_graphs_MatMul_plus_Add()
    {
        var mapping = OnnxBertImport.MapInitializers(_extracted.Model).Single(m => m.HfName == "encoder.layer.2.intermediate.dense.weight");
        using var graphWeight = OnnxBertImport.ToTensor(_extracted.Model.Graph.Initializer.Single(t => t.Name == mapping.InitializerName));
        using var x = randn([3, 384], generator: new Generator(11));

        // the graph: Add(bias, MatMul(x, W[in, out])); PyTorch: x W^T + b with W[out, in]
        using var graph = x.matmul(graphWeight) + _extracted.Weights["encoder.layer.2.intermediate.dense.bias"];
        using var hf = nn.functional.linear(x, _extracted.Weights["encoder.layer.2.intermediate.dense.weight"], _extracted.Weights["encoder.layer.2.intermediate.dense.bias"]);

        Assert.Equal([384L, 1536], graphWeight.shape);
        Assert.True(graph.allclose(hf, rtol: 1e-5, atol: 1e-5));
        Assert.True(graphWeight.t().equal(_extracted.Weights["encoder.layer.2.intermediate.dense.weight"]).all().item<bool>());
    }

    [Fact]
    public void Keeps_the_pooler_Gemm_weight_in_PyTorch_layout()
    {
        var gemm = _extracted.Model.Graph.Node.Single(n => n.OpType == "Gemm");
        var pooler = OnnxBertImport.MapInitializers(_extracted.Model).Single(m => m.HfName == "pooler.dense.weight");

        Assert.Equal("pooler.dense.weight", gemm.Input[1]);
        Assert.Equal(1, gemm.Attribute.Single(a => a.Name == "transB").I);
        Assert.False(pooler.Transpose);
    }
}
