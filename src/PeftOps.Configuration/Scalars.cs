using System.Globalization;
using System.Text.Json.Nodes;

namespace PeftOps.Configuration;

/// <summary>
/// How one kind of YAML scalar is read, written and described: the single definition the loader,
/// the flattened text view and the JSON schema all use.
/// </summary>
internal sealed class Scalar<T>
{
    public required string Expected { get; init; }

    /// <summary>Parses a scalar's text; null text is YAML null (<c>~</c>, <c>null</c> or nothing).</summary>
    public required Func<string?, (bool Ok, T Value)> Parse { get; init; }

    /// <summary>The canonical text of a value; null for a null value.</summary>
    public required Func<T, string?> Render { get; init; }

    public required Func<T, JsonNode?> ToJson { get; init; }

    /// <summary>Adds <c>type</c>/<c>enum</c> keywords.</summary>
    public required Action<JsonObject> Describe { get; init; }

    /// <summary>The number a <see cref="Bounds"/> check looks at; null when the value is null or not numeric.</summary>
    public Func<T, double?> Numeric { get; init; } = _ => null;
}

/// <summary>The scalar kinds adapter.yaml uses.</summary>
internal static class Scalars
{
    public static readonly Scalar<int> Integer = new()
    {
        Expected = "an integer",
        Parse = text => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? (true, v) : (false, 0),
        Render = v => v.ToString(CultureInfo.InvariantCulture),
        ToJson = v => v,
        Describe = s => s["type"] = "integer",
        Numeric = v => v,
    };

    public static readonly Scalar<double> Number = new()
    {
        Expected = "a number",
        Parse = text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? (true, v) : (false, 0),
        Render = v => v.ToString("R", CultureInfo.InvariantCulture),
        ToJson = v => v,
        Describe = s => s["type"] = "number",
        Numeric = v => v,
    };

    public static readonly Scalar<bool> Boolean = new()
    {
        Expected = "true or false",
        Parse = text => text?.ToUpperInvariant() switch
        {
            "TRUE" => (true, true),
            "FALSE" => (true, false),
            _ => (false, false),
        },
        Render = v => v ? "true" : "false",
        ToJson = v => v,
        Describe = s => s["type"] = "boolean",
    };

    /// <summary>
    /// A boolean that is off unless set: when false it is left out of the flattened spec and so of the spec hash, so
    /// a key added later does not change the hash of specs written before it (true is kept and hashed as "true").
    /// </summary>
    public static readonly Scalar<bool> Switch = new()
    {
        Expected = Boolean.Expected,
        Parse = Boolean.Parse,
        Render = v => v ? "true" : null,
        ToJson = Boolean.ToJson,
        Describe = Boolean.Describe,
    };

    public static readonly Scalar<string> Text = new()
    {
        Expected = "a string",
        Parse = text => text is null ? (false, "") : (true, text),
        Render = v => v,
        ToJson = v => v,
        Describe = s => s["type"] = "string",
    };

    /// <summary>A string from a fixed set (kept as the string).</summary>
    public static Scalar<string> OneOf(params string[] allowed) => new()
    {
        Expected = "one of: " + string.Join(", ", allowed),
        Parse = text => text is not null && allowed.Contains(text, StringComparer.Ordinal) ? (true, text) : (false, ""),
        Render = v => v,
        ToJson = v => v,
        Describe = s => s["enum"] = new JsonArray([.. allowed.Select(a => (JsonNode)a)]),
    };

    /// <summary>
    /// An enum written as the texts users type. The first text of a value is its canonical form;
    /// later ones are accepted aliases. The texts <c>true</c> and <c>false</c> are YAML booleans in the schema.
    /// </summary>
    public static Scalar<TEnum> Enum<TEnum>(params (string Text, TEnum Value)[] names) where TEnum : struct, System.Enum => new()
    {
        Expected = "one of: " + string.Join(", ", names.Select(n => n.Text)),
        Parse = text =>
        {
            foreach (var (name, value) in names)
            {
                if (string.Equals(name, text, name is "true" or "false" ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
                    return (true, value);
            }
            return (false, default);
        },
        Render = v => names.First(n => n.Value.Equals(v)).Text,
        ToJson = v => names.First(n => n.Value.Equals(v)).Text,
        Describe = s => s["enum"] = new JsonArray([.. names.Select(n => n.Text switch
        {
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            _ => (JsonNode)JsonValue.Create(n.Text),
        })]),
    };

    /// <summary>
    /// The same scalar for a nullable property; YAML null unsets it, unless <paramref name="acceptNull"/>
    /// is false (a key that is required although its property is nullable).
    /// </summary>
    public static Scalar<T?> Optional<T>(Scalar<T> inner, bool acceptNull = true) where T : struct => new()
    {
        Expected = inner.Expected,
        Parse = text => text is null ? (acceptNull, null) : inner.Parse(text) is (true, var v) ? (true, v) : (false, null),
        Render = v => v is { } x ? inner.Render(x) : null,
        ToJson = v => v is { } x ? inner.ToJson(x) : null,
        Describe = s =>
        {
            inner.Describe(s);
            if (acceptNull)
                s["type"] = new JsonArray(s["type"]!.GetValue<string>(), "null");
        },
        Numeric = v => v is { } x ? inner.Numeric(x) : null,
    };

    /// <summary>An optional string from a fixed set (<see cref="OneOf"/>): YAML null leaves it unset.</summary>
    public static Scalar<string?> OptionalOneOf(params string[] allowed)
    {
        var inner = OneOf(allowed);
        return new()
        {
            Expected = inner.Expected,
            Parse = text => text is null ? (true, null) : inner.Parse(text),
            Render = v => v,
            ToJson = v => v,
            Describe = s =>
            {
                inner.Describe(s);
                ((JsonArray)s["enum"]!).Add(null);
            },
        };
    }

    /// <summary>An optional string: YAML null leaves it unset.</summary>
    public static readonly Scalar<string?> OptionalText = new()
    {
        Expected = "a string",
        Parse = text => (true, text),
        Render = v => v,
        ToJson = v => v,
        Describe = s => s["type"] = new JsonArray("string", "null"),
    };
}

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
