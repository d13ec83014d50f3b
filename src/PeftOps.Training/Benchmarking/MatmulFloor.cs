using System.Diagnostics;
using PeftOps.Modeling.Bert;
using PeftOps.Modeling.Llama;
using static TorchSharp.torch;

namespace PeftOps.Training.Benchmarking;

/// <summary>
/// The floor under a LoRA training step on this machine: the matrix products no implementation of the step's
/// arithmetic can skip, timed alone. Every frozen linear layer's product forward and its input-gradient product
/// backward, and attention's batched products both ways, on random float32 tensors of the step's shapes, one after
/// the other with nothing between them. Left out, so that the floor stays under any real step: the rank-r products,
/// softmax, LayerNorm, GELU or SiLU, dropout, the loss, the optimizer, and the input gradients of the lowest layer's
/// query, key and value projections (nothing below them trains, so no step needs them). <c>peftops bench</c> prints it
/// beside the step, and <c>benchmarks/speed/side-by-side.sh</c> beside Hugging Face PEFT's.
/// </summary>
public static class MatmulFloor
{
    /// <summary><paramref name="Count"/> products [Batch, M, K] x [Batch, K, N] (Batch 1: a plain matrix product).</summary>
    public sealed record Product(long Batch, long M, long K, long N, int Count)
    {
        public double Flops => 2.0 * Batch * M * K * N * Count;
    }

    /// <summary>
    /// A BERT classifier's step at <paramref name="batch"/> x <paramref name="tokens"/> with every layer adapted. The
    /// top layer's products are those of its [CLS] row alone, the only one the pooler reads
    /// (<see cref="BertModel.Pooled"/>), except the key and value projections, which every position still needs.
    /// </summary>
    public static IReadOnlyList<Product> Encoder(BertConfig config, int batch, int tokens)
    {
        ArgumentNullException.ThrowIfNull(config);
        long n = (long)batch * tokens, h = config.HiddenSize, i = config.IntermediateSize;
        long heads = config.NumAttentionHeads, d = h / heads, bh = batch * heads;
        var products = new List<Product>();
        var top = config.NumHiddenLayers - 1;
        for (var layer = 0; layer <= top; layer++)
        {
            var lowest = layer == 0;
            // query rows: every position, or the top layer's [CLS] alone
            long rows = layer == top ? batch : n, queries = layer == top ? 1 : tokens;
            // forward: key and value; query and output; the feed-forward pair; scores and the weighted sum
            products.Add(new Product(1, n, h, h, 2));
            products.Add(new Product(1, rows, h, h, 2));
            products.Add(new Product(1, rows, h, i, 1));
            products.Add(new Product(1, rows, i, h, 1));
            products.Add(new Product(bh, queries, d, tokens, 1));
            products.Add(new Product(bh, queries, tokens, d, 1));
            // backward: the input gradients of output and (above the lowest layer) query, key and value, of the
            // feed-forward pair, and of attention's products: the probabilities' and the query's, and the value's and
            // (above the lowest layer) the key's
            products.Add(new Product(1, rows, h, h, lowest ? 1 : 2));
            if (!lowest)
                products.Add(new Product(1, n, h, h, 2));
            products.Add(new Product(1, rows, i, h, 1));
            products.Add(new Product(1, rows, h, i, 1));
            products.Add(new Product(bh, queries, d, tokens, 1));
            products.Add(new Product(bh, queries, tokens, d, 1));
            products.Add(new Product(bh, tokens, queries, d, lowest ? 1 : 2));
        }
        return products;
    }

    /// <summary>A Llama-family decoder's step at <paramref name="batch"/> x <paramref name="tokens"/> with every layer adapted, the LM head included.</summary>
    public static IReadOnlyList<Product> Decoder(LlamaConfig config, int batch, int tokens)
    {
        ArgumentNullException.ThrowIfNull(config);
        long n = (long)batch * tokens, h = config.HiddenSize, i = config.IntermediateSize;
        long d = config.HeadDim, kv = config.NumKeyValueHeads * d, bh = (long)batch * config.NumAttentionHeads;
        var products = new List<Product>();
        for (var layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            var lowest = layer == 0;
            products.Add(new Product(1, n, h, h, 2));   // query, output
            products.Add(new Product(1, n, h, kv, 2));  // key, value
            products.Add(new Product(1, n, h, i, 2));   // gate, up
            products.Add(new Product(1, n, i, h, 1));   // down
            products.Add(new Product(bh, tokens, d, tokens, 1));
            products.Add(new Product(bh, tokens, tokens, d, 1));
            products.Add(new Product(1, n, h, h, lowest ? 1 : 2));
            if (!lowest)
                products.Add(new Product(1, n, kv, h, 2));
            products.Add(new Product(1, n, i, h, 2));
            products.Add(new Product(1, n, h, i, 1));
            products.Add(new Product(bh, tokens, d, tokens, 1));
            products.Add(new Product(bh, tokens, tokens, d, 3));   // the key's too: its projection trains
        }
        products.Add(new Product(1, n, h, config.VocabSize, 1));   // LM head forward
        products.Add(new Product(1, n, config.VocabSize, h, 1));   // and its input gradient
        return products;
    }

    /// <summary>The products' work, GFLOP (each one's 2 x M x K x N, times its batch and count).</summary>
    public static double Gflop(IReadOnlyList<Product> products) => products.Sum(p => p.Flops) / 1e9;

    /// <summary>Median milliseconds over <paramref name="rounds"/> of running every product once, after <paramref name="warmup"/> untimed rounds.</summary>
    /// <param name="dtype">The frozen weights' dtype (float32, or a decoder base held in bfloat16).</param>
    public static double Milliseconds(IReadOnlyList<Product> products, Device device, ScalarType dtype, int warmup, int rounds, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(products);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        // one pair of operands per distinct shape, reused: the products' time, not the allocator's
        var operands = products.Select(p => (p.Batch, p.M, p.K, p.N)).Distinct()
            .ToDictionary(s => s, s => (A: randn(s.Batch, s.M, s.K, dtype: dtype, device: device), B: randn(s.Batch, s.K, s.N, dtype: dtype, device: device)));
        var times = new List<double>();
        for (var round = 0; round < warmup + rounds; round++)
        {
            ct.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            foreach (var p in products)
            {
                var (a, b) = operands[(p.Batch, p.M, p.K, p.N)];
                for (var c = 0; c < p.Count; c++)
                    bmm(a, b).Dispose();
            }
            if (device.type == TorchSharp.DeviceType.CUDA)
                cuda.synchronize();
            if (round >= warmup)
                times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return StepBench.Median(times);
    }
}
