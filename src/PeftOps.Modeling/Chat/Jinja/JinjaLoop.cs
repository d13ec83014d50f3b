namespace PeftOps.Modeling.Chat.Jinja;

/// <summary>The <c>loop</c> variable inside a for loop: index, index0, revindex, revindex0, first, last, length,
/// previtem, nextitem, depth, depth0 and cycle(...).</summary>
internal sealed class JinjaLoop(IReadOnlyList<object?> items, int depth)
{
    public int Index0 { get; set; }

    public object? Attribute(string name) => name switch
    {
        "index0" => (long)Index0,
        "index" => (long)Index0 + 1,
        "revindex0" => (long)(items.Count - Index0 - 1),
        "revindex" => (long)(items.Count - Index0),
        "first" => Index0 == 0,
        "last" => Index0 == items.Count - 1,
        "length" => (long)items.Count,
        "depth" => (long)depth,
        "depth0" => (long)depth - 1,
        "previtem" => Index0 > 0 ? items[Index0 - 1] : new JinjaUndefined("there is no previous item"),
        "nextitem" => Index0 + 1 < items.Count ? items[Index0 + 1] : new JinjaUndefined("there is no next item"),
        "cycle" => new JinjaFunction("loop.cycle", (args, _, line) =>
            args.Count == 0 ? throw new JinjaException("no items for cycling given", line) : args[Index0 % args.Count]),
        _ => new JinjaUndefined($"'LoopContext object' has no attribute '{name}'"),
    };
}
