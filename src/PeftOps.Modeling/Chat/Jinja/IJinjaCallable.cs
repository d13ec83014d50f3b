namespace PeftOps.Modeling.Chat.Jinja;

/// <summary>A value a template may call: a global function, a macro, or a bound method of a string, list or dict.</summary>
internal interface IJinjaCallable
{
    object? Call(IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs, int line);
}

/// <summary>A callable made of a delegate, named for error messages.</summary>
internal sealed class JinjaFunction(string name, Func<IReadOnlyList<object?>, IReadOnlyDictionary<string, object?>, int, object?> body) : IJinjaCallable
{
    public string Name { get; } = name;

    public object? Call(IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs, int line) => body(args, kwargs, line);

    public override string ToString() => $"<function {Name}>";
}
