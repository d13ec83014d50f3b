using System.Text.Json.Nodes;

namespace PeftOps.Configuration.Schema;

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
