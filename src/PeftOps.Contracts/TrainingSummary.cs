using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace PeftOps.Contracts;

/// <summary>eval.json's <c>training</c>: what training cost and how it went; <see cref="Curve"/> holds one point per logged step.</summary>
public sealed record TrainingSummary : TrainingCost
{
    public TrainingSummary() { }

    /// <summary>The cost of a run (train.json's <c>summary</c>) with its curve.</summary>
    [SetsRequiredMembers]
    public TrainingSummary(TrainingCost cost, IReadOnlyList<CurvePoint> curve) : base(cost) => Curve = curve;

    /// <summary>Written after the cost (a derived record's own keys would come first).</summary>
    [JsonPropertyOrder(1)]
    public IReadOnlyList<CurvePoint> Curve { get; init; } = [];
}

/// <param name="ValidationMetric">the early-stopping metric on validation data, at steps where it was measured.</param>
public sealed record CurvePoint(int Step, double Epoch, double Loss, double LearningRate, double? ValidationMetric = null);
