using System.Runtime.InteropServices;
using PeftOps.Contracts;
using PeftOps.Inference;

namespace PeftOps.Training.Tests;

/// <summary>The Mahalanobis score on data whose means and covariance are known exactly.</summary>
public sealed class MahalanobisDistanceTests
{
    // Two classes in 2-D, four points each at distance 1 from their mean along the axes: the shared within-class
    // covariance is diag(0.5, 0.5), already isotropic, so shrinking it towards its average variance leaves it as it is;
    // the precision is diag(2, 2) and the squared distance is 2 |x - mu|^2.
    private static readonly float[][] Points = [[1, 0], [-1, 0], [0, 1], [0, -1], [11, 0], [9, 0], [10, 1], [10, -1]];
    private static readonly int[] Classes = [0, 0, 0, 0, 1, 1, 1, 1];

    [Fact]
    public void Fit_gives_the_class_means_and_the_inverse_of_the_shared_covariance()
    {
        var statistics = MahalanobisDistance.Fit(Points, Classes, 2);

        Assert.Equal((2, 2), (statistics.Classes, statistics.Dim));
        Assert.Equal([0f, 0f, 10f, 0f], MemoryMarshal.Cast<byte, float>(statistics.Means).ToArray());
        var precision = MemoryMarshal.Cast<byte, float>(statistics.Precision).ToArray();
        Assert.Equal([2.0, 0.0, 0.0, 2.0], precision.Select(p => Math.Round(p, 4)));
        Assert.Null(statistics.Problem());
    }

    [Fact]
    public void With_fewer_messages_than_features_the_covariance_is_shrunk_so_unseen_directions_do_not_dominate()
    {
        // 3 messages in 4-D, all varying along the first axis only (variance 2/3): shrunk by 4 / (3 + 4) towards the
        // average variance 1/6, the other three axes get variance 4/7 * 1/6 instead of 0.
        float[][] points = [[-1, 0, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0]];
        var distance = new MahalanobisDistance(MahalanobisDistance.Fit(points, [0, 0, 0], 1));

        var unseen = 1.0 / (4.0 / 7 * 1.0 / 6);
        var seen = 1.0 / (3.0 / 7 * 2.0 / 3 + 4.0 / 7 * 1.0 / 6);
        Assert.Equal(unseen, distance.Distance([0f, 1f, 0f, 0f]), 3);
        Assert.Equal(seen, distance.Distance([1f, 0f, 0f, 0f]), 3);
    }

    [Theory]
    [InlineData(1f, 1f, 4.0)]     // 2 (1 + 1) from class 0
    [InlineData(5f, 0f, 50.0)]    // halfway: 2 * 25 from either
    [InlineData(10f, 3f, 18.0)]   // 2 * 9 from class 1, not 2 * 109 from class 0
    [InlineData(0f, 0f, 0.0)]
    public void Distance_is_to_the_nearest_class_mean(float x, float y, double expected)
    {
        var distance = new MahalanobisDistance(MahalanobisDistance.Fit(Points, Classes, 2));

        Assert.Equal(expected, distance.Distance([x, y]), 3);
    }

    [Fact]
    public void A_scope_record_keeps_its_statistics_through_json_and_refuses_broken_ones()
    {
        var statistics = MahalanobisDistance.Fit(Points, Classes, 2);
        var scope = new AdapterScope(ScopeMethod.Softmax, null, 3.5, 0.95, 0.95, null, ScopeScore.Mahalanobis, statistics);

        var read = AdapterScope.Parse("adapter_model.safetensors", scope.ToJson());

        Assert.Equal((ScopeScore.Mahalanobis, 3.5), (read.Score, read.Threshold));
        Assert.Equal(statistics.Means, read.Distance!.Means);
        Assert.Equal(statistics.Precision, read.Distance.Precision);
        Assert.Equal("softmax, mahalanobis threshold 3.5", read.ToString());

        var noStatistics = Assert.Throws<InputException>(() => AdapterScope.Parse("f", (scope with { Distance = null }).ToJson()));
        Assert.Equal("f: peftops.scope: score mahalanobis needs distance statistics and a threshold of 0 or more (no distance statistics)", noStatistics.Message);
        var shortMeans = Assert.Throws<InputException>(() => AdapterScope.Parse("f", (scope with { Distance = statistics with { Means = [1, 2, 3] } }).ToJson()));
        Assert.EndsWith("(means must hold 2 x 2 float32)", shortMeans.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<InputException>(() => AdapterScope.Parse("f", scope.ToJson().Replace("\"mahalanobis\"", "\"energy\"", StringComparison.Ordinal)));
        Assert.Equal("f: peftops.scope is not a scope record (expected confidence or mahalanobis (was \"energy\"))", unknown.Message);
        Assert.Contains("\"method\":\"softmax\"", scope.ToJson(), StringComparison.Ordinal);
        var oosClass = AdapterScope.Parse("f", scope.ToJson().Replace("\"softmax\"", "\"oos-class\"", StringComparison.Ordinal));
        Assert.Equal(ScopeMethod.OosClass, oosClass.Method);
        // an adapter trained before scores existed reads as score confidence
        var old = AdapterScope.Parse("f", """{"method":"oos-class","oos_label":"out_of_scope","threshold":0.5,"target_in_scope_recall":0.95,"validation_in_scope_recall":0.95}""");
        Assert.Equal((ScopeScore.Confidence, null), (old.Score, old.Distance));
    }
}
