namespace PeftOps.Serving;

/// <summary>One adapter's change of served version in a refresh; <see cref="From"/> null: newly served, <see cref="To"/> null: no longer.</summary>
public sealed record StageMove(string Adapter, string? From, string? To)
{
    public string Describe() => $"{Adapter} {From ?? "(none)"} -> {To ?? "(none)"}";
}
