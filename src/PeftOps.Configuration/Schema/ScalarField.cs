using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PeftOps.Configuration.Schema;

/// <summary>A key holding one scalar, with optional bounds or pattern.</summary>
internal sealed class ScalarField<TOwner, T>(
    string key, string description, Scalar<T> scalar, Func<TOwner, T> get, Func<TOwner, T, TOwner> set)
    : SpecField<TOwner>(key, description)
{
    public Bounds? Bounds { get; init; }

    /// <summary>A regular expression the whole string must match, and what to call such a string in messages.</summary>
    public (string Regex, string Meaning)? Pattern { get; init; }

    public override TOwner Read(TOwner owner, YamlNode node, string path, SpecReadContext context) =>
        TryRead(node, path, context, out var value) ? set(owner, value) : owner;

    private bool TryRead(YamlNode node, string path, SpecReadContext context, out T value)
    {
        value = default!;
        if (!TryScalar(node, out var text) || scalar.Parse(text) is not (true, var parsed))
        {
            context.Error(node, $"{path} must be {scalar.Expected} (was {Was(node)})");
            return false;
        }
        if (Bounds is { } bounds && scalar.Numeric(parsed) is { } number && !bounds.Contains(number))
        {
            context.Error(node, $"{path} {bounds.Describe()} (was {Was(node)})");
            return false;
        }
        if (Pattern is { } pattern && scalar.Render(parsed) is { } s && !Regex.IsMatch(s, pattern.Regex, RegexOptions.CultureInvariant))
        {
            context.Error(node, $"{path} must be {pattern.Meaning} (was {Was(node)})");
            return false;
        }
        value = parsed;
        return true;
    }

    public override JsonObject Schema(TOwner defaults)
    {
        var schema = new JsonObject();
        scalar.Describe(schema);
        Bounds?.AddTo(schema);
        if (Pattern is { } pattern)
            schema["pattern"] = pattern.Regex;
        if (!Required && scalar.ToJson(get(defaults)) is { } d)
            schema["default"] = d;
        return Describe(schema);
    }

    public override void Flatten(TOwner owner, string path, IDictionary<string, string> into)
    {
        if (scalar.Render(get(owner)) is { } text)
            into[path] = text;
    }
}
