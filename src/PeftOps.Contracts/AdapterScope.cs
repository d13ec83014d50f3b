using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PeftOps.Contracts;

/// <summary>
/// How a trained classifier adapter refuses out-of-scope input, calibrated when it was trained: it travels in its
/// adapter_model.safetensors metadata (<c>peftops.scope</c>, JSON) beside <c>peftops.labels</c>, so predict, evaluate and
/// serve decide alike from the adapter folder alone.
/// </summary>
/// <param name="Method"><c>oos-class</c> or <c>softmax</c>.</param>
/// <param name="OosLabel">The trained out-of-scope class (oos-class), null for softmax.</param>
/// <param name="Threshold">A message whose top in-scope probability is below this is out of scope.</param>
/// <param name="TargetInScopeRecall">The share of in-scope validation messages the threshold was set to accept.</param>
/// <param name="ValidationInScopeRecall">The share of in-scope validation messages accepted (both rules).</param>
/// <param name="ValidationOosRecall">The share of out-of-scope validation messages rejected; null without any.</param>
public sealed record AdapterScope(
    string Method, string? OosLabel, double Threshold, double TargetInScopeRecall,
    double ValidationInScopeRecall, double? ValidationOosRecall)
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
        if (scope is null || scope.Method is not ("oos-class" or "softmax") || double.IsNaN(scope.Threshold) || scope.Threshold is < 0 or > 1)
            throw new InputException($"{where}: {MetadataKey} must give method oos-class or softmax and a threshold from 0 to 1 (was {json})");
        return scope;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Method}, threshold {Threshold:0.####}");
}
