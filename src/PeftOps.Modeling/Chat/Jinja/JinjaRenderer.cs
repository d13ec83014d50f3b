using System.Text;

namespace PeftOps.Modeling.Chat.Jinja;

/// <summary>
/// Walks the syntax tree and writes the output: statements (if, for with loop variables and else, set, macros,
/// generation, break, continue) and expressions with Python's semantics. One renderer renders once.
/// </summary>
internal sealed class JinjaRenderer
{
    private enum Flow
    {
        Normal,
        Break,
        Continue,
    }

    private readonly StringBuilder _root = new();
    private StringBuilder _out;
    private int _loopDepth;

    public JinjaRenderer() => _out = _root;

    /// <summary>The <c>[start, end)</c> character spans of the output that <c>{% generation %}</c> blocks wrote.</summary>
    public List<(int Start, int End)> GenerationSpans { get; } = [];

    public string Render(IReadOnlyList<JinjaNode> nodes, JinjaScope scope)
    {
        if (Run(nodes, scope) != Flow.Normal)
            throw new JinjaException("break or continue outside a loop");
        return _root.ToString();
    }

    private Flow Run(IReadOnlyList<JinjaNode> nodes, JinjaScope scope)
    {
        foreach (var node in nodes)
        {
            var flow = Run(node, scope);
            if (flow != Flow.Normal)
                return flow;
        }
        return Flow.Normal;
    }

    private Flow Run(JinjaNode node, JinjaScope scope)
    {
        switch (node)
        {
            case TextNode text:
                _out.Append(text.Text);
                return Flow.Normal;
            case OutputNode output:
                _out.Append(PythonText.Str(Eval(output.Value, scope)));
                return Flow.Normal;
            case IfNode ifNode:
                foreach (var (test, body) in ifNode.Branches)
                    if (JinjaValues.Truthy(Eval(test, scope)))
                        return Run(body, scope);
                return Run(ifNode.Else, scope);
            case ForNode forNode:
                return For(forNode, scope);
            case SetNode set:
                Set(set, scope);
                return Flow.Normal;
            case SetBlockNode setBlock:
                scope.Set(setBlock.Target, Capture(setBlock.Body, scope));
                return Flow.Normal;
            case MacroNode macro:
                scope.Set(macro.Name, new JinjaMacro(macro, scope, this));
                return Flow.Normal;
            case GenerationNode generation:
                var start = _out.Length;
                var flow = Run(generation.Body, scope);
                if (ReferenceEquals(_out, _root))
                    GenerationSpans.Add((start, _out.Length));
                return flow;
            case BreakNode or ContinueNode:
                if (_loopDepth == 0)
                    throw new JinjaException("break and continue are only allowed in a loop", node.Line);
                return node is BreakNode ? Flow.Break : Flow.Continue;
        }
        throw new JinjaException($"unknown statement {node.GetType().Name}", node.Line);
    }

    /// <summary>Renders <paramref name="body"/> into a string of its own (a set block, a macro call).</summary>
    public string Capture(IReadOnlyList<JinjaNode> body, JinjaScope scope)
    {
        var saved = (_out, _loopDepth);
        _out = new StringBuilder();
        _loopDepth = 0;
        try
        {
            if (Run(body, scope) != Flow.Normal)
                throw new JinjaException("break or continue outside a loop", body.Count > 0 ? body[0].Line : 0);
            return _out.ToString();
        }
        finally
        {
            (_out, _loopDepth) = saved;
        }
    }

    private Flow For(ForNode node, JinjaScope scope)
    {
        var loopScope = new JinjaScope(scope);
        var source = JinjaValues.Defined(Eval(node.Iterable, scope), node.Line);
        var items = JinjaValues.Iterate(source, node.Line);
        if (node.Filter is not null)
        {
            var kept = new List<object?>();
            foreach (var item in items)
            {
                Bind(node.Targets, item, loopScope, node.Line);
                if (JinjaValues.Truthy(Eval(node.Filter, loopScope)))
                    kept.Add(item);
            }
            items = kept;
        }
        if (items.Count == 0)
            return Run(node.Else, scope);
        scope.TryGet("loop", out var outer);
        var loop = new JinjaLoop(items, outer is JinjaLoop ? 2 : 1);
        loopScope.Set("loop", loop);
        _loopDepth++;
        try
        {
            for (var i = 0; i < items.Count; i++)
            {
                loop.Index0 = i;
                Bind(node.Targets, items[i], loopScope, node.Line);
                if (Run(node.Body, loopScope) == Flow.Break)
                    break;
            }
        }
        finally
        {
            _loopDepth--;
        }
        return Flow.Normal;
    }

    private static void Bind(IReadOnlyList<string> targets, object? value, JinjaScope scope, int line)
    {
        if (targets.Count == 1)
        {
            scope.Set(targets[0], value);
            return;
        }
        var parts = JinjaValues.Iterate(value, line);
        if (parts.Count != targets.Count)
            throw new JinjaException($"cannot unpack {parts.Count} values into {targets.Count} names", line);
        for (var i = 0; i < targets.Count; i++)
            scope.Set(targets[i], parts[i]);
    }

    private void Set(SetNode set, JinjaScope scope)
    {
        var value = Eval(set.Value, scope);
        if (set.Namespace is null)
        {
            Bind(set.Targets, value, scope, set.Line);
            return;
        }
        if (!scope.TryGet(set.Namespace, out var target) || target is not JinjaNamespace ns)
            throw new JinjaException("cannot assign attribute on non-namespace object", set.Line);
        ns.Attributes[set.Targets[0]] = value;
    }

    public object? Eval(JinjaExpr expr, JinjaScope scope)
    {
        var line = expr.Line;
        switch (expr)
        {
            case LiteralExpr literal:
                return literal.Value;
            case NameExpr name:
                return scope.TryGet(name.Name, out var value) ? value : new JinjaUndefined($"'{name.Name}' is undefined");
            case ListExpr list:
                return list.Items.Select(i => Eval(i, scope)).ToList();
            case TupleExpr tuple:
                return tuple.Items.Select(i => Eval(i, scope)).ToArray();
            case DictExpr dict:
                var result = new Dictionary<object, object?>();
                foreach (var (k, v) in dict.Pairs)
                    result[JinjaValues.Defined(Eval(k, scope), line) ?? throw new JinjaException("None as a dict key is not supported", line) { Unsupported = true }] = Eval(v, scope);
                return result;
            case AttributeExpr attribute:
                return JinjaOperators.Attribute(Eval(attribute.Target, scope), attribute.Name, line);
            case ItemExpr item:
                return JinjaOperators.Item(Eval(item.Target, scope), Eval(item.Key, scope), line);
            case SliceExpr slice:
                return JinjaOperators.Slice(Eval(slice.Target, scope), Optional(slice.Start, scope), Optional(slice.Stop, scope), Optional(slice.Step, scope), line);
            case CallExpr call:
                var callee = JinjaValues.Defined(Eval(call.Callee, scope), line);
                if (callee is not IJinjaCallable callable)
                    throw new JinjaException($"'{JinjaValues.TypeName(callee)}' object is not callable", line);
                return callable.Call(call.Args.Select(a => Eval(a, scope)).ToList(), call.Kwargs.ToDictionary(k => k.Name, k => Eval(k.Value, scope)), line);
            case FilterExpr filter:
                return JinjaFilters.Apply(filter.Name, Eval(filter.Target, scope), filter.Args.Select(a => Eval(a, scope)).ToList(),
                    filter.Kwargs.ToDictionary(k => k.Name, k => Eval(k.Value, scope)), line);
            case TestExpr test:
                return JinjaTests.Apply(test.Name, Eval(test.Target, scope), test.Args.Select(a => Eval(a, scope)).ToList(), line) != test.Negated;
            case UnaryExpr unary:
                var operand = Eval(unary.Operand, scope);
                return unary.Op switch
                {
                    "not" => !JinjaValues.Truthy(operand),
                    "-" => JinjaOperators.Negate(operand, line),
                    _ => JinjaValues.IsNumber(JinjaValues.Defined(operand, line)) ? operand : throw new JinjaException($"bad operand type for unary +: '{JinjaValues.TypeName(operand)}'", line),
                };
            case BinaryExpr binary:
                return Binary(binary, scope);
            case CompareExpr compare:
                var left = Eval(compare.First, scope);
                foreach (var (op, operandExpr) in compare.Rest)
                {
                    var right = Eval(operandExpr, scope);
                    if (!Compare(op, left, right, line))
                        return false;
                    left = right;
                }
                return true;
            case ConditionalExpr conditional:
                if (JinjaValues.Truthy(Eval(conditional.Test, scope)))
                    return Eval(conditional.Then, scope);
                return conditional.Else is null
                    ? new JinjaUndefined($"the inline if-expression on line {line} evaluated to false and no else section was defined.")
                    : Eval(conditional.Else, scope);
        }
        throw new JinjaException($"unknown expression {expr.GetType().Name}", line);
    }

    private object? Optional(JinjaExpr? expr, JinjaScope scope) => expr is null ? null : Eval(expr, scope);

    private object? Binary(BinaryExpr binary, JinjaScope scope)
    {
        var left = Eval(binary.Left, scope);
        switch (binary.Op)
        {
            case "and":
                return JinjaValues.Truthy(left) ? Eval(binary.Right, scope) : left;
            case "or":
                return JinjaValues.Truthy(left) ? left : Eval(binary.Right, scope);
            case "~":
                return PythonText.Str(left) + PythonText.Str(Eval(binary.Right, scope));
            default:
                return JinjaOperators.Binary(binary.Op, left, Eval(binary.Right, scope), binary.Line);
        }
    }

    private static bool Compare(string op, object? left, object? right, int line) => op switch
    {
        "==" => JinjaValues.Equals(left, right),
        "!=" => !JinjaValues.Equals(left, right),
        "<" => JinjaValues.Compare(left, right, op, line) < 0,
        "<=" => JinjaValues.Compare(left, right, op, line) <= 0,
        ">" => JinjaValues.Compare(left, right, op, line) > 0,
        ">=" => JinjaValues.Compare(left, right, op, line) >= 0,
        "in" => JinjaValues.Contains(right, left, line),
        _ => !JinjaValues.Contains(right, left, line),
    };
}
