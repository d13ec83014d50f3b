namespace PeftOps.GitHub.Tests.Actions;

/// <summary>
/// A parsed expression (<see cref="ExpressionParser"/>): literals, context names, property, index and filter access,
/// <c>!</c>, the comparisons, <c>&amp;&amp;</c> and <c>||</c>, and function calls. Evaluating it needs the contexts and, in an
/// <c>if:</c>, the <see cref="RunStatus"/> that the status functions read.
/// </summary>
internal abstract record ExpressionNode
{
    public abstract object? Evaluate(IReadOnlyDictionary<string, object?> contexts, RunStatus? status);

    /// <summary>This node and every node below it.</summary>
    public virtual IEnumerable<ExpressionNode> Nodes() => [this];

    /// <summary><c>true</c>, <c>false</c>, <c>null</c>, a number or a string.</summary>
    public sealed record Literal(object? Value) : ExpressionNode
    {
        public override object? Evaluate(IReadOnlyDictionary<string, object?> contexts, RunStatus? status) => Value;
    }

    /// <summary>A context by name (<c>github</c>, <c>needs</c>, ...), ignoring case.</summary>
    public sealed record Context(string Name) : ExpressionNode
    {
        public override object? Evaluate(IReadOnlyDictionary<string, object?> contexts, RunStatus? status) =>
            TryGet(contexts, Name, out var value) ? ExpressionValues.Of(value) : throw new NotSupportedException($"the harness has no context '{Name}' here");
    }

    /// <summary><c>target.name</c>: an object's property ignoring case, else null; over a filtered array, each item's.</summary>
    public sealed record Property(ExpressionNode Target, string Name) : ExpressionNode
    {
        public override object? Evaluate(IReadOnlyDictionary<string, object?> contexts, RunStatus? status) =>
            Access(Target.Evaluate(contexts, status), Name);

        public override IEnumerable<ExpressionNode> Nodes() => Target.Nodes().Prepend(this);
    }

    /// <summary><c>target[key]</c>: an object's property named by the key as text, or an array's item at the key as a number.</summary>
    public sealed record Index(ExpressionNode Target, ExpressionNode Key) : ExpressionNode
    {
        public override object? Evaluate(IReadOnlyDictionary<string, object?> contexts, RunStatus? status) =>
            Access(Target.Evaluate(contexts, status), Key.Evaluate(contexts, status));

        public override IEnumerable<ExpressionNode> Nodes() => Target.Nodes().Concat(Key.Nodes()).Prepend(this);
    }

    /// <summary><c>target.*</c> or <c>target[*]</c>: an array's items or an object's values, as a <see cref="FilteredArray"/>.</summary>
    public sealed record Filter(ExpressionNode Target) : ExpressionNode
    {
        public override object? Evaluate(IReadOnlyDictionary<string, object?> contexts, RunStatus? status) => Target.Evaluate(contexts, status) switch
        {
            FilteredArray filtered => new FilteredArray(filtered.SelectMany(Children)),
            var value => new FilteredArray(Children(value)),
        };

        public override IEnumerable<ExpressionNode> Nodes() => Target.Nodes().Prepend(this);
    }

    /// <summary><c>!operand</c>: a boolean.</summary>
    public sealed record Not(ExpressionNode Operand) : ExpressionNode
    {
        public override object? Evaluate(IReadOnlyDictionary<string, object?> contexts, RunStatus? status) =>
            !ExpressionValues.Truthy(Operand.Evaluate(contexts, status));

        public override IEnumerable<ExpressionNode> Nodes() => Operand.Nodes().Prepend(this);
    }

    /// <summary>
    /// <c>left &amp;&amp; right</c> and <c>left || right</c>: the operand that decided, not a boolean, and the right one is
    /// evaluated only when the left one did not decide.
    /// </summary>
    public sealed record Logical(bool IsAnd, ExpressionNode Left, ExpressionNode Right) : ExpressionNode
    {
        public override object? Evaluate(IReadOnlyDictionary<string, object?> contexts, RunStatus? status)
        {
            var left = Left.Evaluate(contexts, status);
            return ExpressionValues.Truthy(left) == IsAnd ? Right.Evaluate(contexts, status) : left;
        }

        public override IEnumerable<ExpressionNode> Nodes() => Left.Nodes().Concat(Right.Nodes()).Prepend(this);
    }

    /// <summary><c>== != &lt; &lt;= &gt; &gt;=</c>: a boolean, by <see cref="ExpressionValues.Equal"/> and <see cref="ExpressionValues.Compare"/>.</summary>
    public sealed record Comparison(string Operator, ExpressionNode Left, ExpressionNode Right) : ExpressionNode
    {
        public override object? Evaluate(IReadOnlyDictionary<string, object?> contexts, RunStatus? status)
        {
            var (left, right) = (Left.Evaluate(contexts, status), Right.Evaluate(contexts, status));
            return Operator switch
            {
                "==" => ExpressionValues.Equal(left, right),
                "!=" => !ExpressionValues.Equal(left, right),
                _ => ExpressionValues.Compare(left, right) is { } sign && Operator switch
                {
                    "<" => sign < 0,
                    "<=" => sign <= 0,
                    ">" => sign > 0,
                    _ => sign >= 0,
                },
            };
        }

        public override IEnumerable<ExpressionNode> Nodes() => Left.Nodes().Concat(Right.Nodes()).Prepend(this);
    }

    /// <summary>A call of one of <see cref="ExpressionFunctions"/>, its name as written (function names ignore case).</summary>
    public sealed record Call(string Name, IReadOnlyList<ExpressionNode> Arguments) : ExpressionNode
    {
        public bool IsStatusCheck => ExpressionFunctions.IsStatusCheck(Name);

        public override object? Evaluate(IReadOnlyDictionary<string, object?> contexts, RunStatus? status) =>
            ExpressionFunctions.Invoke(Name, [.. Arguments.Select(a => a.Evaluate(contexts, status))], status, contexts);

        public override IEnumerable<ExpressionNode> Nodes() => Arguments.SelectMany(a => a.Nodes()).Prepend(this);
    }

    private static object? Access(object? target, object? key)
    {
        if (target is FilteredArray filtered)
        {
            var found = new FilteredArray([]);
            foreach (var item in filtered)
            {
                if (TryAccess(item, key, out var value))
                    found.Add(value);
            }
            return found;
        }
        return TryAccess(target, key, out var one) ? one : null;
    }

    private static bool TryAccess(object? target, object? key, out object? value)
    {
        value = null;
        if (target is List<object?> list)
        {
            var at = Math.Floor(ExpressionValues.Number(key));
            if (!(at >= 0 && at < list.Count))
                return false;
            value = ExpressionValues.Of(list[(int)at]);
            return true;
        }
        if (key is not (null or bool or double or string) || !TryGet(target, ExpressionValues.Text(key), out value))
            return false;
        value = ExpressionValues.Of(value);
        return true;
    }

    private static bool TryGet(object? target, string name, out object? value)
    {
        value = null;
        var pairs = target switch
        {
            IReadOnlyDictionary<string, object?> map when map.TryGetValue(name, out value) => null,
            IReadOnlyDictionary<string, object?> map => map.AsEnumerable(),
            IDictionary<string, object?> map when map.TryGetValue(name, out value) => null,
            IDictionary<string, object?> map => map.AsEnumerable(),
            _ => [],
        };
        if (pairs is null)
            return true;
        foreach (var pair in pairs.Where(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)))
        {
            value = pair.Value;
            return true;
        }
        return false;
    }

    private static IEnumerable<object?> Children(object? value) => value switch
    {
        List<object?> list => list.Select(ExpressionValues.Of),
        IReadOnlyDictionary<string, object?> map => map.Values.Select(ExpressionValues.Of),
        IDictionary<string, object?> map => map.Values.Select(ExpressionValues.Of),
        _ => [],
    };
}
