using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PeftOps.Contracts;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PeftOps.Configuration;

/// <summary>The keys of one YAML mapping, bound to the record <typeparamref name="T"/>; unknown keys are errors.</summary>
internal sealed class SpecShape<T>(string description, params SpecField<T>[] fields)
{
    public string Description { get; } = description;
    public IReadOnlyList<SpecField<T>> Fields { get; } = fields;

    public string KeyList => string.Join(", ", Fields.Select(f => f.Key));

    /// <summary>Keys of which at least one must be present (a target rule's min and min_delta).</summary>
    public IReadOnlyList<string> AtLeastOneOf { get; init; } = [];

    /// <summary>Reads a mapping into <paramref name="seed"/> (a record holding the defaults); false when it is not a mapping.</summary>
    public T Read(T seed, YamlNode node, string path, SpecReadContext context)
    {
        if (node is not YamlMappingNode mapping)
        {
            context.Error(node, $"{(path.Length == 0 ? "the spec" : path)} must be a mapping with keys {KeyList} (was {Describe(node)})");
            return seed;
        }
        var value = seed;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var keyPath = SpecReadContext.Join(path, key);
            var field = Fields.FirstOrDefault(f => f.Key == key);
            if (field is null)
            {
                context.Error(keyNode, $"unknown key '{keyPath}' (expected one of: {KeyList})");
                continue;
            }
            seen.Add(key);
            context.Record(keyPath, valueNode);
            value = field.Read(value, valueNode, keyPath, context);
        }
        foreach (var field in Fields.Where(f => f.Required && !seen.Contains(f.Key)))
            field.ReportMissing(SpecReadContext.Join(path, field.Key), context);
        if (AtLeastOneOf.Count > 0 && !AtLeastOneOf.Any(seen.Contains))
            context.Error(node, $"{path} needs {string.Join(" or ", AtLeastOneOf)} (was neither)");
        return value;
    }

    /// <summary>Reports the required keys of a mapping that is absent altogether.</summary>
    public void ReportMissing(string path, SpecReadContext context)
    {
        foreach (var field in Fields.Where(f => f.Required))
            field.ReportMissing(SpecReadContext.Join(path, field.Key), context);
    }

    public JsonObject Schema(T defaults)
    {
        var properties = new JsonObject();
        foreach (var field in Fields)
            properties[field.Key] = field.Schema(defaults);
        var schema = new JsonObject
        {
            ["description"] = Description,
            ["type"] = "object",
            ["additionalProperties"] = false,
        };
        var required = Fields.Where(f => f.Required).Select(f => (JsonNode)f.Key).ToArray();
        if (required.Length > 0)
            schema["required"] = new JsonArray(required);
        if (AtLeastOneOf.Count > 0)
            schema["anyOf"] = new JsonArray([.. AtLeastOneOf.Select(k => (JsonNode)new JsonObject { ["required"] = new JsonArray(k) })]);
        schema["properties"] = properties;
        return schema;
    }

    public void Flatten(T value, string path, IDictionary<string, string> into)
    {
        foreach (var field in Fields)
            field.Flatten(value, SpecReadContext.Join(path, field.Key), into);
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode { Value: null or "" } => "empty",
        YamlScalarNode s => s.Value!,
        YamlSequenceNode => "a list",
        _ => "an alias",
    };
}

/// <summary>
/// One key of a mapping in adapter.yaml, bound to a property of the record <typeparamref name="TOwner"/>:
/// it reads the key's YAML node into the record, describes itself in the JSON schema and writes
/// itself into the flattened text view.
/// </summary>
internal abstract class SpecField<TOwner>(string key, string description)
{
    public string Key { get; } = key;
    public string Description { get; } = description;

    /// <summary>A key that must be present; its record default is a placeholder, not documented.</summary>
    public bool Required { get; init; }

    /// <summary>Reads the key's value into <paramref name="owner"/>; on error records it and returns the owner unchanged.</summary>
    public abstract TOwner Read(TOwner owner, YamlNode node, string path, SpecReadContext context);

    /// <summary>The key's schema, with <c>default</c> taken from <paramref name="defaults"/> (a record holding its defaults).</summary>
    public abstract JsonObject Schema(TOwner defaults);

    public abstract void Flatten(TOwner owner, string path, IDictionary<string, string> into);

    /// <summary>Reports the key missing from its mapping; only called for required keys.</summary>
    public virtual void ReportMissing(string path, SpecReadContext context) => context.Error(path, $"{path} is required");

    /// <summary>The text of a scalar node (null for YAML null), or false for a mapping or list.</summary>
    protected static bool TryScalar(YamlNode node, out string? text)
    {
        text = null;
        if (node is not YamlScalarNode scalar)
            return false;
        text = scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL" ? null : scalar.Value ?? "";
        return true;
    }

    /// <summary>How a found value is quoted in messages: "(was eight)", "(was a list)".</summary>
    protected static string Was(YamlNode node) => node switch
    {
        YamlScalarNode s => TryScalar(s, out var t) && t is null ? "null" : s.Value ?? "",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "an alias",
    };

    /// <summary>
    /// Reads one scalar of kind <paramref name="scalar"/> at <paramref name="path"/> (a key, a list item, a map entry)
    /// and checks it against <paramref name="bounds"/>; on error records it and returns false.
    /// </summary>
    protected static bool TryValue<T>(Scalar<T> scalar, Bounds? bounds, YamlNode node, string path, SpecReadContext context, out T value)
    {
        value = default!;
        if (!TryScalar(node, out var text) || scalar.Parse(text) is not (true, var parsed))
        {
            context.Error(node, $"{path} must be {scalar.Expected} (was {Was(node)})");
            return false;
        }
        if (bounds is { } b && scalar.Numeric(parsed) is { } number && !b.Contains(number))
        {
            context.Error(node, $"{path} {b.Describe()} (was {Was(node)})");
            return false;
        }
        value = parsed;
        return true;
    }

    /// <summary>The schema with this key's description as its first keyword.</summary>
    protected JsonObject Describe(JsonObject schema)
    {
        var described = new JsonObject { ["description"] = Description };
        foreach (var (keyword, value) in schema.ToList())
        {
            schema.Remove(keyword);
            described[keyword] = value;
        }
        return described;
    }
}

/// <summary>Short constructors for the fields of record <typeparamref name="T"/>, so the spec table reads as a table.</summary>
internal static class Fields<T>
{
    public static ScalarField<T, TValue> Scalar<TValue>(
        string key, string description, Scalar<TValue> scalar, Func<T, TValue> get, Func<T, TValue, T> set,
        Bounds? bounds = null, bool required = false) =>
        new(key, description, scalar, get, set) { Bounds = bounds, Required = required };

    public static ScalarField<T, string> Text(
        string key, string description, Func<T, string> get, Func<T, string, T> set,
        (string Regex, string Meaning)? pattern = null, bool required = false) =>
        new(key, description, Scalars.Text, get, set) { Pattern = pattern, Required = required };

    public static ListField<T, TValue> List<TValue>(
        string key, string description, Scalar<TValue> item, Func<T, IReadOnlyList<TValue>> get, Func<T, IReadOnlyList<TValue>, T> set,
        Bounds? itemBounds = null, bool unique = false) =>
        new(key, description, item, get, set) { ItemBounds = itemBounds, Unique = unique };

    public static MapField<T, TValue> Map<TValue>(
        string key, string description, Scalar<TValue> value,
        Func<T, IReadOnlyDictionary<string, TValue>> get, Func<T, IReadOnlyDictionary<string, TValue>, T> set, Bounds? valueBounds = null) =>
        new(key, description, value, get, set) { ValueBounds = valueBounds };

    public static ObjectField<T, TChild> Object<TChild>(
        string key, SpecShape<TChild> shape, Func<T, TChild?> get, Func<T, TChild?, T> set, Func<TChild> seed,
        bool nullable = false, bool required = false) where TChild : class =>
        new(key, shape, get, set, seed) { Nullable = nullable, Required = required };

    public static ObjectListField<T, TChild> Objects<TChild>(
        string key, string description, SpecShape<TChild> shape,
        Func<T, IReadOnlyList<TChild>> get, Func<T, IReadOnlyList<TChild>, T> set, Func<TChild> seed, Func<TChild, string> label) =>
        new(key, description, shape, get, set, seed, label);
}

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
        if (!TryValue(scalar, Bounds, node, path, context, out value))
            return false;
        if (Pattern is { } pattern && scalar.Render(value) is { } s && !Regex.IsMatch(s, pattern.Regex, RegexOptions.CultureInvariant))
        {
            context.Error(node, $"{path} must be {pattern.Meaning} (was {Was(node)})");
            value = default!;
            return false;
        }
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

/// <summary>A key holding a YAML list of scalars.</summary>
internal sealed class ListField<TOwner, T>(
    string key, string description, Scalar<T> item, Func<TOwner, IReadOnlyList<T>> get, Func<TOwner, IReadOnlyList<T>, TOwner> set)
    : SpecField<TOwner>(key, description)
{
    public Bounds? ItemBounds { get; init; }
    public bool Unique { get; init; }

    public override TOwner Read(TOwner owner, YamlNode node, string path, SpecReadContext context)
    {
        if (node is not YamlSequenceNode sequence)
        {
            context.Error(node, $"{path} must be a list of {Plural(item.Expected)} (was {Was(node)})");
            return owner;
        }
        var values = new List<T>();
        var ok = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var child = sequence.Children[i];
            var itemPath = $"{path}[{i}]";
            if (!TryValue(item, ItemBounds, child, itemPath, context, out var value))
            {
                ok = false;
            }
            else if (Unique && values.Contains(value))
            {
                context.Error(child, $"{itemPath} must not repeat an earlier item (was {Was(child)})");
                ok = false;
            }
            else
            {
                values.Add(value);
            }
        }
        return ok ? set(owner, values) : owner;
    }

    public override JsonObject Schema(TOwner defaults)
    {
        var items = new JsonObject();
        item.Describe(items);
        ItemBounds?.AddTo(items);
        var schema = Describe(new JsonObject { ["type"] = "array", ["items"] = items });
        if (Unique)
            schema["uniqueItems"] = true;
        schema["default"] = new JsonArray([.. get(defaults).Select(item.ToJson)]);
        return schema;
    }

    public override void Flatten(TOwner owner, string path, IDictionary<string, string> into) =>
        into[path] = SpecTextFormat.List(get(owner).Select(v => item.Render(v) ?? "null"));

    private static string Plural(string expected) => expected switch
    {
        "a string" => "strings",
        "an integer" => "integers",
        "a number" => "numbers",
        _ => $"values ({expected})",
    };
}

/// <summary>A key holding a mapping from free-form names (module patterns) to scalars.</summary>
internal sealed class MapField<TOwner, T>(
    string key, string description, Scalar<T> value,
    Func<TOwner, IReadOnlyDictionary<string, T>> get, Func<TOwner, IReadOnlyDictionary<string, T>, TOwner> set)
    : SpecField<TOwner>(key, description)
{
    public Bounds? ValueBounds { get; init; }

    public override TOwner Read(TOwner owner, YamlNode node, string path, SpecReadContext context)
    {
        if (node is not YamlMappingNode mapping)
        {
            context.Error(node, $"{path} must be a mapping of module name to {value.Expected} (was {Was(node)})");
            return owner;
        }
        var values = new Dictionary<string, T>(StringComparer.Ordinal);
        var ok = true;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var name = keyNode is YamlScalarNode k ? k.Value ?? "" : "";
            var entryPath = $"{path}[{name}]";
            if (TryValue(value, ValueBounds, valueNode, entryPath, context, out var parsed))
                values[name] = parsed;
            else
                ok = false;
        }
        return ok ? set(owner, values) : owner;
    }

    public override JsonObject Schema(TOwner defaults)
    {
        var values = new JsonObject();
        value.Describe(values);
        ValueBounds?.AddTo(values);
        return Describe(new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = values,
            ["default"] = new JsonObject(get(defaults).OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => KeyValuePair.Create(kv.Key, value.ToJson(kv.Value)))),
        });
    }

    public override void Flatten(TOwner owner, string path, IDictionary<string, string> into)
    {
        foreach (var (name, v) in get(owner))
            into[$"{path}[{name}]"] = value.Render(v) ?? "null";
    }
}

/// <summary>
/// A key holding a nested mapping (a child record). When the property may be null (an optional section,
/// <c>early_stopping</c>), YAML null unsets it and <paramref name="seed"/> supplies the defaults when it appears.
/// </summary>
internal sealed class ObjectField<TOwner, TChild>(
    string key, SpecShape<TChild> shape, Func<TOwner, TChild?> get, Func<TOwner, TChild?, TOwner> set, Func<TChild> seed)
    : SpecField<TOwner>(key, shape.Description)
    where TChild : class
{
    public bool Nullable { get; init; }

    public SpecShape<TChild> Shape => shape;

    public override TOwner Read(TOwner owner, YamlNode node, string path, SpecReadContext context)
    {
        if (Nullable && TryScalar(node, out var text) && text is null)
            return set(owner, null);
        return set(owner, shape.Read(get(owner) ?? seed(), node, path, context));
    }

    public override void ReportMissing(string path, SpecReadContext context) => shape.ReportMissing(path, context);

    public override JsonObject Schema(TOwner defaults)
    {
        var schema = shape.Schema(get(defaults) ?? seed());
        if (Nullable)
        {
            schema["type"] = new JsonArray("object", "null");
            schema["default"] = null;
        }
        return schema;
    }

    public override void Flatten(TOwner owner, string path, IDictionary<string, string> into)
    {
        if (get(owner) is { } child)
            shape.Flatten(child, path, into);
    }
}

/// <summary>
/// A key holding a list of mappings (suites, gate rules). In the flattened view items are keyed by
/// <paramref name="label"/> (a suite's name, a rule's metric) so reordering them changes nothing.
/// </summary>
internal sealed class ObjectListField<TOwner, TChild>(
    string key, string description, SpecShape<TChild> shape,
    Func<TOwner, IReadOnlyList<TChild>> get, Func<TOwner, IReadOnlyList<TChild>, TOwner> set,
    Func<TChild> seed, Func<TChild, string> label)
    : SpecField<TOwner>(key, description)
{
    public override TOwner Read(TOwner owner, YamlNode node, string path, SpecReadContext context)
    {
        if (node is not YamlSequenceNode sequence)
        {
            context.Error(node, $"{path} must be a list of mappings with keys {shape.KeyList} (was {Was(node)})");
            return owner;
        }
        var items = new List<TChild>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            context.Record(itemPath, sequence.Children[i]);
            items.Add(shape.Read(seed(), sequence.Children[i], itemPath, context));
        }
        return set(owner, items);
    }

    public override JsonObject Schema(TOwner defaults) =>
        Describe(new JsonObject
        {
            ["type"] = "array",
            ["items"] = shape.Schema(seed()),
            ["default"] = new JsonArray(),
        });

    public override void Flatten(TOwner owner, string path, IDictionary<string, string> into)
    {
        foreach (var item in get(owner))
            shape.Flatten(item, $"{path}[{label(item)}]", into);
    }
}

/// <summary>
/// <c>method.target_modules</c>, as PEFT reads it: a list of module-name suffixes, the string
/// <c>all-linear</c>, or any other string as a regular expression matched against full module names.
/// </summary>
internal sealed class TargetModulesField() : SpecField<MethodSpec>("target_modules",
    "Where adapters are injected: a list of module-name suffixes (query, value), the string all-linear " +
    "(every linear layer except the output head), or a string that is a regular expression matched against full module names.")
{
    // PEFT's name, declared in Contracts because Configuration may not use PeftOps.Peft (docs/architecture.md)
    public const string AllLinear = PeftFileNames.AllLinear;

    public override MethodSpec Read(MethodSpec owner, YamlNode node, string path, SpecReadContext context)
    {
        if (node is YamlSequenceNode sequence)
        {
            var names = new List<string>();
            foreach (var child in sequence.Children)
            {
                if (!TryScalar(child, out var text) || string.IsNullOrEmpty(text))
                {
                    context.Error(child, $"{path}[{names.Count}] must be a module name (was {Was(child)})");
                    return owner;
                }
                names.Add(text);
            }
            if (names.Count == 0)
            {
                context.Error(node, $"{path} must name at least one module, or be all-linear or a regular expression (was [])");
                return owner;
            }
            return owner with { TargetModules = names, TargetModulesRegex = null, AllLinear = false };
        }
        if (!TryScalar(node, out var pattern) || string.IsNullOrEmpty(pattern))
        {
            context.Error(node, $"{path} must be a list of module names, all-linear or a regular expression (was {Was(node)})");
            return owner;
        }
        if (pattern == AllLinear)
            return owner with { TargetModules = [], TargetModulesRegex = null, AllLinear = true };
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant);
        }
        catch (ArgumentException)
        {
            context.Error(node, $"{path} must be a valid regular expression (was {pattern})");
            return owner;
        }
        return owner with { TargetModules = [], TargetModulesRegex = pattern, AllLinear = false };
    }

    public override JsonObject Schema(MethodSpec defaults) =>
        Describe(new JsonObject
        {
            ["anyOf"] = new JsonArray(
                new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string", ["minLength"] = 1 }, ["minItems"] = 1 },
                new JsonObject { ["const"] = AllLinear },
                new JsonObject { ["type"] = "string", ["format"] = "regex", ["minLength"] = 1 }),
            ["default"] = ToJson(defaults),
        });

    public override void Flatten(MethodSpec owner, string path, IDictionary<string, string> into) =>
        into[path] = owner.AllLinear ? AllLinear : owner.TargetModulesRegex ?? SpecTextFormat.List(owner.TargetModules);

    private static JsonNode ToJson(MethodSpec spec) =>
        spec.AllLinear ? AllLinear
        : spec.TargetModulesRegex is { } regex ? regex
        : new JsonArray([.. spec.TargetModules.Select(m => (JsonNode)m)]);
}
