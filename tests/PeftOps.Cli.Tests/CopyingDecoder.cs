using System.Text.Json.Nodes;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Safetensors;
using static TorchSharp.torch;

namespace PeftOps.Cli.Tests;

/// <summary>
/// A tiny Qwen2 checkpoint that can copy and can see its recent words, as a pretrained decoder can and a random one
/// cannot. A pretrained model echoes a name or an order number through induction heads: one head looks at the previous
/// token, a later one finds where the current tokens occurred before and copies what followed them. This writes such
/// heads in by hand and leaves the MLPs random, so that a test can fine-tune replies that echo unseen order numbers on
/// a model small enough for CI (two layers, two heads of 128, 256 wide).
/// <list type="bullet">
/// <item>The residual stream has four parts: A (32) the token's identity, B (32) the previous token's, C (32) the one
/// before that, D (160) the rest. The embedding fills A and D with random unit vectors; the output head is the
/// embedding, tied, so a token written into A is a token predicted.</item>
/// <item>Layer 0: head 0 attends to the previous position and head 1 to the one before (constant queries and keys from
/// the q/k biases, the keys turned by RoPE's fastest frequencies so that the score peaks at that distance); they copy
/// A into B and into C.</item>
/// <item>Layer 1: head 0 is the induction head. Its query is (A, B) here, its key (B, C) there, on RoPE's slowest
/// frequencies, which barely turn over a few hundred positions: the score is highest where the two tokens before an
/// earlier position are the last two here, and it copies that position's A into A. Two tokens, not one, so a number
/// with a repeated digit is copied right; three equal digits in a row are not. Head 1 averages the last ten or so
/// tokens into D, what a reply needs to know which sentence it is in after an order number.</item>
/// <item>The MLPs are random, reading the whole stream and writing small values into D only: the adapter's room to learn.</item>
/// </list>
/// Layer 0 and layer 1's head 0, built the same way in Python (same layout and gains, another random generator) and
/// run by transformers' own Qwen2: 196 of 200 random four-digit numbers copied exactly, 89 of the 93 among them with a
/// repeated digit.
/// </summary>
internal static class CopyingDecoder
{
    public static readonly DecoderShape Shape = SyntheticCheckpoint.Shapes["qwen2.5-0.5b"] with
    {
        VocabSize = 1536, HiddenSize = 256, IntermediateSize = 512, Layers = 2, Heads = 2, KvHeads = 2, MaxPositions = 512,
    };

    private const int Part = 32;                 // A, B and C are this wide; D is the rest
    private const int A = 0, B = Part, C = 2 * Part, D = 3 * Part;
    private const int HeadDim = 128;             // 256 / 2 heads
    private const int FastPairs = 8;             // RoPE pairs that place the previous-token heads
    private const double Alpha = 9;              // their query and key size: the chosen distance wins by ~9 nats
    private const double Match = 1.5;            // induction query and key gain: a two-token match wins by ~12 nats
    private const double Copy = 4;               // what layer 1's heads write: the copied token into A, the recent ones into D
    private static readonly Range RecentPairs = 8..16;
    private const double Recent = 3;             // the recent-tokens head's query and key size
    private const double Small = 0.1, Tiny = 0.002;   // the MLPs' random weights: reading the stream, and writing into D

    /// <summary>Writes the checkpoint (config, tokenizer learnt on <paramref name="tokenizerCorpus"/>, chat template, weights).</summary>
    public static void Write(string folder, string tokenizerCorpus, long seed)
    {
        SyntheticCheckpoint.Write(folder, Shape, ScalarType.Float32, seed, tokenizerCorpus: tokenizerCorpus, tokenizerMerges: 4000);
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, SafetensorsTorch.IndexFileName)))!["weight_map"]!.AsObject();
        var file = Assert.Single(index.Select(p => (string)p.Value!).Distinct());
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed);
        var weights = Weights(generator);
        Assert.Equal(index.Select(p => p.Key).Order(StringComparer.Ordinal), weights.Keys.Order(StringComparer.Ordinal));
        SafetensorsTorch.Save(Path.Combine(folder, file), weights.Select(w => (w.Key, w.Value)), new Dictionary<string, string> { ["format"] = "pt" });
    }

    private static Dictionary<string, Tensor> Weights(Generator generator)
    {
        var (h, v, i) = (Shape.HiddenSize, Shape.VocabSize, Shape.IntermediateSize);
        var w = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        float[] Random(int count, double std) => (randn([count], generator: generator) * std).data<float>().ToArray();

        var embedding = new Matrix(v, h);
        for (var row = 0; row < v; row++)
        {
            embedding.Row(row, A, Unit(Random(Part, 1)));
            embedding.Row(row, D, Unit(Random(h - D, 1)));
        }
        w["model.embed_tokens.weight"] = embedding.Tensor();
        w["model.norm.weight"] = ones(h);
        // RMSNorm scales a vector of norm n by sqrt(h) / n: the embedding has norm sqrt(2) (A and D), layer 1's input about 2 (A, B, C, D)
        var scale0 = Math.Sqrt(h) / Math.Sqrt(2);
        var scale1 = Math.Sqrt(h) / 2;
        var frequencies = Enumerable.Range(0, HeadDim / 2).Select(j => Math.Pow(Shape.RopeTheta, -2.0 * j / HeadDim)).ToArray();

        for (var layer = 0; layer < Shape.Layers; layer++)
        {
            var p = $"model.layers.{layer}.";
            w[p + "input_layernorm.weight"] = ones(h);
            w[p + "post_attention_layernorm.weight"] = ones(h);
            w[p + "mlp.gate_proj.weight"] = new Matrix(i, h, Random(i * h, Small)).Tensor();
            w[p + "mlp.up_proj.weight"] = new Matrix(i, h, Random(i * h, Small)).Tensor();
            var down = new Matrix(h, i);
            for (var row = D; row < h; row++)
                down.Row(row, 0, Random(i, Tiny));
            w[p + "mlp.down_proj.weight"] = down.Tensor();
            var (q, k, value, o) = (new Matrix(2 * HeadDim, h), new Matrix(2 * HeadDim, h), new Matrix(2 * HeadDim, h), new Matrix(h, 2 * HeadDim));
            var (qBias, kBias) = (new float[2 * HeadDim], new float[2 * HeadDim]);
            if (layer == 0)
            {
                foreach (var (head, distance, into) in new[] { (0, 1, B), (1, 2, C) })
                {
                    var first = head * HeadDim;
                    for (var j = 0; j < FastPairs; j++)
                    {
                        // RoPE turns pair j of a query at m and a key at n by m and n times frequency j: a key turned
                        // ahead by distance x frequency meets the query head-on when m - n = distance
                        qBias[first + j] = (float)Alpha;
                        kBias[first + j] = (float)(Alpha * Math.Cos(distance * frequencies[j]));
                        kBias[first + j + HeadDim / 2] = (float)(Alpha * Math.Sin(distance * frequencies[j]));
                    }
                    for (var d = 0; d < Part; d++)
                    {
                        value[first + d, A + d] = (float)(1 / scale0);
                        o[into + d, first + d] = 1;
                    }
                }
            }
            else
            {
                // head 0, induction: the slowest half of the pairs, 32 to 47 matching A here with B there and 48 to 63
                // B here with C there, copies A of the best match into A
                for (var d = 0; d < Part; d++)
                {
                    var (pair1, pair2) = (Slow(32, d), Slow(48, d));
                    q[pair1, A + d] = (float)Match;
                    q[pair2, B + d] = (float)Match;
                    k[pair1, B + d] = (float)Match;
                    k[pair2, C + d] = (float)Match;
                    value[d, A + d] = (float)(1 / scale1);
                    o[A + d, d] = (float)Copy;
                }
                // head 1, the last few tokens: equal query and key on RoPE's middle pairs score highest at distance 0
                // and fall off over ~10 positions (3 nats at 10, 7 at 20); it averages their A into D
                for (var j = RecentPairs.Start.Value; j < RecentPairs.End.Value; j++)
                {
                    qBias[HeadDim + j] = (float)Recent;
                    kBias[HeadDim + j] = (float)Recent;
                }
                for (var d = 0; d < Part; d++)
                {
                    value[HeadDim + d, A + d] = (float)(1 / scale1);
                    o[D + d, HeadDim + d] = (float)Copy;
                }
            }
            w[p + "self_attn.q_proj.weight"] = q.Tensor();
            w[p + "self_attn.k_proj.weight"] = k.Tensor();
            w[p + "self_attn.v_proj.weight"] = value.Tensor();
            w[p + "self_attn.o_proj.weight"] = o.Tensor();
            w[p + "self_attn.q_proj.bias"] = tensor(qBias);
            w[p + "self_attn.k_proj.bias"] = tensor(kBias);
            w[p + "self_attn.v_proj.bias"] = zeros(2 * HeadDim);
        }
        return w;
    }

    private static float[] Unit(float[] x)
    {
        var norm = (float)Math.Sqrt(x.Sum(e => (double)e * e));
        return [.. x.Select(e => e / norm)];
    }

    /// <summary>A row-major float matrix filled element by element, then made a tensor.</summary>
    private sealed class Matrix(int rows, int columns, float[]? data = null)
    {
        private readonly float[] _data = data ?? new float[rows * columns];

        public float this[int row, int column]
        {
            set => _data[row * columns + column] = value;
        }

        /// <summary>Writes <paramref name="values"/> into <paramref name="row"/> from <paramref name="column"/> on.</summary>
        public void Row(int row, int column, float[] values) => values.CopyTo(_data, row * columns + column);

        public Tensor Tensor() => tensor(_data).reshape(rows, columns);
    }

    /// <summary>The head dimension of component <paramref name="d"/> (0 to 31) of a 16-pair block from <paramref name="firstPair"/>: the pair's first or second half.</summary>
    private static int Slow(int firstPair, int d) => d < 16 ? firstPair + d : firstPair + (d - 16) + HeadDim / 2;
}
