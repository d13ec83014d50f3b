using PeftOps.Modeling.Runtime;
using static TorchSharp.torch;

namespace PeftOps.Training.DataChecks;

/// <summary>
/// Out-of-fold class probabilities from a multinomial logistic regression on fixed features (the frozen base model's
/// sentence embeddings): stratified, seeded folds; each fold's features standardised by its training rows' mean and
/// deviation; softmax(x W + b) fitted full-batch with Adam on cross-entropy plus an L2 penalty. Seconds, not a training run.
/// </summary>
public static class LinearProbe
{
    public const int Steps = 100;
    public const double LearningRate = 0.1;
    public const double L2 = 1e-3;

    /// <param name="features">[n, D].</param>
    /// <param name="labels">[n] label ids 0..classes-1.</param>
    /// <returns>[n, classes]: each row predicted by the probe fitted on the other folds.</returns>
    public static float[][] OutOfFold(float[][] features, int[] labels, int classes, int folds, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        var fold = Folds(labels, folds, seed);
        // the probe's ops are small: one thread spares them the intra-op hand-offs, which cost more than they save
        // (and far more on a loaded machine); the caller's thread count comes back after
        var threads = get_num_threads();
        set_num_threads(1);
        try
        {
            return OutOfFold(features, labels, classes, folds, seed, fold, cancellationToken);
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    private static float[][] OutOfFold(float[][] features, int[] labels, int classes, int folds, int seed, int[] fold, CancellationToken cancellationToken)
    {
        var result = new float[labels.Length][];
        var dim = features[0].Length;
        using var all = tensor(features.SelectMany(f => f).ToArray(), [labels.Length, dim]);
        for (var f = 0; f < folds; f++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var train = Enumerable.Range(0, labels.Length).Where(i => fold[i] != f).Select(i => (long)i).ToArray();
            var held = Enumerable.Range(0, labels.Length).Where(i => fold[i] == f).ToArray();
            if (held.Length == 0 || train.Length == 0)
                continue;
            using var scope = NewDisposeScope();
            var probs = Fit(all[tensor(train)], tensor(train.Select(i => (long)labels[i]).ToArray()), all[tensor(held.Select(i => (long)i).ToArray())], classes, seed + f);
            var flat = probs.data<float>().ToArray();
            for (var r = 0; r < held.Length; r++)
                result[held[r]] = flat.AsSpan(r * classes, classes).ToArray();
        }
        return result;
    }

    /// <summary>Fold of each row: rows of each label shuffled (seeded) and dealt round the folds, continuing from label to label.</summary>
    public static int[] Folds(int[] labels, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var random = new Random(seed);
        var fold = new int[labels.Length];
        var next = 0;
        foreach (var group in Enumerable.Range(0, labels.Length).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var rows = group.ToArray();
            random.Shuffle(rows);
            foreach (var row in rows)
                fold[row] = next++ % folds;
        }
        return fold;
    }

    // [m, classes] softmax probabilities of `test` under a probe fitted on (x, y)
    private static Tensor Fit(Tensor x, Tensor y, Tensor test, int classes, int seed)
    {
        var mean = x.mean([0], keepdim: true);
        var std = x.std(0, keepdim: true).clamp_min(HeldScalars.Of(1e-6));
        var (xs, ts) = ((x - mean) / std, (test - mean) / std);
        using var generator = new Generator((ulong)seed);
        var w = nn.Parameter(randn([x.shape[1], classes], generator: generator).mul(HeldScalars.Of(0.01)));
        var b = nn.Parameter(zeros(classes));
        var optimizer = optim.Adam([w, b], lr: LearningRate);
        for (var step = 0; step < Steps; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(xs.matmul(w).Plus(b), y).Plus(w.pow(HeldScalars.Of(2L)).sum().mul(HeldScalars.Of(L2)));
            loss.backward();
            optimizer.step();
        }
        using var _ = no_grad();
        return nn.functional.softmax(ts.matmul(w).Plus(b), 1);
    }
}
