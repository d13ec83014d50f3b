using System.Globalization;
using System.Text.Json.Nodes;

namespace PeftOps.Configuration.Schema;

/// <summary>A numeric interval a value must lie in; renders both the error text and the JSON schema keywords.</summary>
internal sealed record Bounds(double? Min, bool MinExclusive, double? Max, bool MaxExclusive)
{
    public static Bounds Above(double min) => new(min, true, null, false);
    public static Bounds AtLeast(double min) => new(min, false, null, false);
    public static Bounds Between(double min, bool minExclusive, double max, bool maxExclusive) => new(min, minExclusive, max, maxExclusive);

    public bool Contains(double value) =>
        (Min is not { } lo || (MinExclusive ? value > lo : value >= lo)) &&
        (Max is not { } hi || (MaxExclusive ? value < hi : value <= hi));

    /// <summary>"must be &gt; 0", "must be &gt;= 0 and &lt; 1".</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Min is { } lo)
            parts.Add($"{(MinExclusive ? ">" : ">=")} {Format(lo)}");
        if (Max is { } hi)
            parts.Add($"{(MaxExclusive ? "<" : "<=")} {Format(hi)}");
        return "must be " + string.Join(" and ", parts);
    }

    public void AddTo(JsonObject schema)
    {
        if (Min is { } lo)
            schema[MinExclusive ? "exclusiveMinimum" : "minimum"] = lo;
        if (Max is { } hi)
            schema[MaxExclusive ? "exclusiveMaximum" : "maximum"] = hi;
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
