namespace PeftOps.Modeling.Chat.Jinja;

/// <summary>jinja2's tests (<c>x is defined</c>, <c>x is equalto y</c>, ...), with the same answers as its own for Python's types.</summary>
internal static class JinjaTests
{
    public static bool IsKnown(string name) => name is "defined" or "undefined" or "none" or "string" or "mapping" or "sequence"
        or "iterable" or "number" or "integer" or "float" or "boolean" or "true" or "false" or "callable" or "odd" or "even"
        or "divisibleby" or "lower" or "upper" or "in" or "sameas" or "equalto" or "eq" or "==" or "ne" or "!=" or "lt" or "<"
        or "le" or "<=" or "gt" or ">" or "ge" or ">=" or "greaterthan" or "lessthan";

    public static bool Apply(string name, object? value, IReadOnlyList<object?> args, int line)
    {
        object? Arg() => args.Count > 0 ? args[0] : throw new JinjaException($"the test '{name}' needs an argument", line);
        switch (name)
        {
            case "defined": return value is not JinjaUndefined;
            case "undefined": return value is JinjaUndefined;
            case "none": return value is null;
            case "string": return value is string;
            case "mapping": return value is Dictionary<object, object?>;
            case "sequence": return value is string or List<object?> or object?[] or Dictionary<object, object?> or JinjaUndefined;
            case "iterable": return value is string or List<object?> or object?[] or Dictionary<object, object?> or JinjaUndefined;
            case "number": return value is bool or long or double;
            case "integer": return value is long;
            case "float": return value is double;
            case "boolean": return value is bool;
            case "true": return value is true;
            case "false": return value is false;
            case "callable": return value is IJinjaCallable;
            case "odd": return JinjaValues.ToLong(Integer(value, name, line)) % 2 != 0;
            case "even": return JinjaValues.ToLong(Integer(value, name, line)) % 2 == 0;
            case "divisibleby": return JinjaValues.ToLong(Integer(value, name, line)) % JinjaValues.ToLong(Integer(Arg(), name, line)) == 0;
            case "lower": return PythonText.Str(value) is var l && l == l.ToLowerInvariant();
            case "upper": return PythonText.Str(value) is var u && u == u.ToUpperInvariant();
            case "in": return JinjaValues.Contains(Arg(), value, line);
            case "sameas": return value is null ? Arg() is null : value is bool b ? Arg() is bool c && b == c : ReferenceEquals(value, Arg());
            case "equalto" or "eq" or "==": return JinjaValues.Equals(value, Arg());
            case "ne" or "!=": return !JinjaValues.Equals(value, Arg());
            case "lt" or "<" or "lessthan": return JinjaValues.Compare(value, Arg(), "<", line) < 0;
            case "le" or "<=": return JinjaValues.Compare(value, Arg(), "<=", line) <= 0;
            case "gt" or ">" or "greaterthan": return JinjaValues.Compare(value, Arg(), ">", line) > 0;
            case "ge" or ">=": return JinjaValues.Compare(value, Arg(), ">=", line) >= 0;
        }
        throw new JinjaException($"the test '{name}' is not supported", line) { Unsupported = true };
    }

    private static object? Integer(object? value, string test, int line) =>
        value is long or bool ? value : throw new JinjaException($"the test '{test}' needs an integer (got {JinjaValues.TypeName(value)})", line);
}
