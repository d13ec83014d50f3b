using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PeftOps.Contracts;

/// <summary>
/// How a trained classifier adapter refuses out-of-scope input, calibrated when it was trained: it travels in its
/// adapter_model.safetensors metadata (<c>peftops.scope</c>, JSON) beside <c>peftops.labels</c>, so predict, evaluate and
/// serve decide alike from the adapter folder alone.
/// </summary>
/// <param name="Method"><c>oos-class</c> or <c>softmax</c> (<see cref="ScopeNames"/>).</param>
/// <param name="OosLabel">The trained out-of-scope class (oos-class), null for softmax.</param>
/// <param name="Threshold">A message whose top in-scope probability is below this is out of scope.</param>
/// <param name="TargetInScopeRecall">The share of in-scope validation messages the threshold was set to accept.</param>
/// <param name="ValidationInScopeRecall">The share of in-scope validation messages accepted (both rules).</param>
/// <param name="ValidationOosRecall">The share of out-of-scope validation messages rejected; null without any.</param>
/// <param name="Score"><c>confidence</c> (<see cref="ScopeNames"/>): a message whose top in-scope probability is below <paramref name="Threshold"/> is
/// out of scope; <c>mahalanobis</c>: one whose <see cref="Distance"/> to the nearest in-scope class is above it.</param>
/// <param name="Distance">The fitted class means and shared precision matrix (score mahalanobis only).</param>
public sealed record AdapterScope(
    [property: JsonRequired, JsonConverter(typeof(ScopeSpelling))] ScopeMethod Method, string? OosLabel, double Threshold, double TargetInScopeRecall,
    double ValidationInScopeRecall, double? ValidationOosRecall, [property: JsonConverter(typeof(ScopeSpelling))] ScopeScore Score = ScopeScore.Confidence,
    MahalanobisStatistics? Distance = null)
{
    public const string MetadataKey = "peftops.scope";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Parses the metadata value <paramref name="json"/>, read from <paramref name="where"/>.</summary>
    /// <exception cref="InputException">Not a scope this version can apply.</exception>
    public static AdapterScope Parse(string where, string json)
    {
        AdapterScope? scope;
        try
        {
            scope = JsonSerializer.Deserialize<AdapterScope>(json, Json);
        }
        catch (JsonException e)
        {
            throw new InputException($"{where}: {MetadataKey} is not a scope record ({e.Message.Split('.')[0]})", e);
        }
        var shown = json.Length > 200 ? json[..200] + "..." : json;
        if (scope is null || !Enum.IsDefined(scope.Method) || !double.IsFinite(scope.Threshold))
            throw new InputException($"{where}: {MetadataKey} must give method oos-class or softmax and a threshold (was {shown})");
        if (scope.Score == ScopeScore.Confidence && scope.Threshold is < 0 or > 1)
            throw new InputException($"{where}: {MetadataKey}: score confidence needs a threshold from 0 to 1 (was {scope.Threshold})");
        var distanceProblem = scope.Distance is null ? "no distance statistics" : scope.Distance.Problem();
        if (scope.Score == ScopeScore.Mahalanobis && (distanceProblem is not null || scope.Threshold < 0))
            throw new InputException($"{where}: {MetadataKey}: score mahalanobis needs distance statistics and a threshold of 0 or more ({distanceProblem ?? $"threshold was {scope.Threshold}"})");
        return scope;
    }

    public override string ToString() => Score == ScopeScore.Confidence
        ? string.Create(CultureInfo.InvariantCulture, $"{ScopeNames.Name(Method)}, threshold {Threshold:0.####}")
        : string.Create(CultureInfo.InvariantCulture, $"{ScopeNames.Name(Method)}, {ScopeNames.Name(Score)} threshold {Threshold:0.####}");
}

/// <summary>
/// A Mahalanobis distance model: <paramref name="Classes"/> class means of <paramref name="Dim"/> features and the
/// shared precision matrix (the pseudo-inverse of the pooled within-class covariance), as little-endian float32
/// bytes, row-major (base64 in JSON).
/// </summary>
public sealed record MahalanobisStatistics(int Classes, int Dim, byte[] Means, byte[] Precision)
{
    public bool Equals(MahalanobisStatistics? other) =>
        other is not null && (Classes, Dim) == (other.Classes, other.Dim)
        && Means.AsSpan().SequenceEqual(other.Means) && Precision.AsSpan().SequenceEqual(other.Precision);

    public override int GetHashCode() => HashCode.Combine(Classes, Dim, Means.Length, Precision.Length);

    /// <summary>What is wrong with the statistics, or null when they are whole.</summary>
    public string? Problem() =>
        Classes < 1 || Dim < 1 ? $"classes {Classes} and dim {Dim} must be positive"
        : Means is null || Means.Length != (long)Classes * Dim * sizeof(float) ? $"means must hold {Classes} x {Dim} float32"
        : Precision is null || Precision.Length != (long)Dim * Dim * sizeof(float) ? $"precision must hold {Dim} x {Dim} float32"
        : null;
}

/// <summary>Scope method and score as <see cref="ScopeNames"/> spells them, whatever the options of the file the record is in.</summary>
internal sealed class ScopeSpelling() : SpelledEnumConverter(JsonNamingPolicy.KebabCaseLower);
