using PeftOps.Modeling.Runtime;
using System.Runtime.InteropServices;
using PeftOps.Contracts;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Inference;

/// <summary>
/// The Mahalanobis out-of-scope score (Lee et al. 2018; Podolskiy et al. 2021 for fine-tuned transformers): the squared
/// distance <c>(x - mu_c)' P (x - mu_c)</c> of a message's features to the nearest in-scope class mean, where P is the
/// pseudo-inverse of the within-class covariance shared by every class, shrunk towards its average variance. Fitted on
/// the in-scope training messages.
/// </summary>
public sealed class MahalanobisDistance
{
    private readonly int classes;
    private readonly int dim;
    private readonly float[] means;
    private readonly float[] precision;
    private readonly double[] meanTerms; // mu_c' P mu_c

    public MahalanobisDistance(MahalanobisStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        (classes, dim) = (statistics.Classes, statistics.Dim);
        means = MemoryMarshal.Cast<byte, float>(statistics.Means).ToArray();
        precision = MemoryMarshal.Cast<byte, float>(statistics.Precision).ToArray();
        meanTerms = new double[classes];
        var projected = new double[dim];
        for (var c = 0; c < classes; c++)
            meanTerms[c] = Quadratic(means.AsSpan(c * dim, dim), projected);
    }

    /// <summary>Class means and shared precision of <paramref name="features"/> ([N][H]), grouped by <paramref name="classOf"/> (0 .. classCount - 1).</summary>
    public static MahalanobisStatistics Fit(IReadOnlyList<float[]> features, IReadOnlyList<int> classOf, int classCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(classOf);
        if (features.Count == 0 || features.Count != classOf.Count)
            throw new ArgumentException("one class per feature row, and at least one row", nameof(features));
        var dim = features[0].Length;
        using var scope = NewDisposeScope();
        var x = tensor(features.SelectMany(f => f).ToArray(), [features.Count, dim]).to(ScalarType.Float64);
        var ids = tensor(classOf.Select(c => (long)c).ToArray());
        var sums = zeros(classCount, dim, ScalarType.Float64).index_add_(0, ids, x, HeldScalars.One);
        var counts = zeros(classCount, ScalarType.Float64).index_add_(0, ids, ones(features.Count, ScalarType.Float64), HeldScalars.One).clamp_min(HeldScalars.One).unsqueeze(1);
        var mean = sums / counts;
        var centred = x - mean.index(ids);
        using var rows = features.Count.ToScalar();
        var covariance = centred.t().matmul(centred).div(rows);
        // Shrunk towards its average variance by dim / (n + dim): with fewer messages than features the sample covariance
        // is singular, and directions no training message varies in would dominate the distance; with many (CLINC150's
        // 15,000 for 384 features, 2.5%) it is nearly the sample covariance.
        var shrinkage = (double)dim / (features.Count + dim);
        var average = covariance.diagonal().mean().item<double>();
        using var kept = (1 - shrinkage).ToScalar();
        using var added = (shrinkage * average + 1e-9).ToScalar();
        var shrunk = covariance.mul(kept).Plus(eye(dim, dtype: ScalarType.Float64).mul(added));
        var precisionMatrix = linalg.pinv(shrunk);
        return new MahalanobisStatistics(classCount, dim, Bytes(mean), Bytes(precisionMatrix));
    }

    /// <summary>The squared distance of <paramref name="features"/> to the nearest class mean.</summary>
    public double Distance(ReadOnlySpan<float> features)
    {
        if (features.Length != dim)
            throw new ArgumentException($"expected {dim} features, got {features.Length}", nameof(features));
        var px = new double[dim];
        var xpx = Quadratic(features, px);
        var best = double.PositiveInfinity;
        for (var c = 0; c < classes; c++)
        {
            var mean = means.AsSpan(c * dim, dim);
            var cross = 0.0;
            for (var i = 0; i < dim; i++)
                cross += mean[i] * px[i];
            best = Math.Min(best, xpx - 2 * cross + meanTerms[c]);
        }
        return Math.Max(0, best);
    }

    /// <summary>v' P v, leaving P v in <paramref name="pv"/>.</summary>
    private double Quadratic(ReadOnlySpan<float> v, double[] pv)
    {
        var total = 0.0;
        for (var row = 0; row < dim; row++)
        {
            var p = precision.AsSpan(row * dim, dim);
            var sum = 0.0;
            for (var i = 0; i < dim; i++)
                sum += p[i] * v[i];
            pv[row] = sum;
            total += v[row] * sum;
        }
        return total;
    }

    private static byte[] Bytes(Tensor t) => MemoryMarshal.AsBytes(t.to(ScalarType.Float32).contiguous().data<float>().ToArray().AsSpan()).ToArray();
}
