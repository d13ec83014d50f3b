namespace PeftOps.Configuration;

/// <summary>One variant as <c>peftops compare</c> trains it: its name, its overrides and the spec they make (without <c>compare</c>).</summary>
public sealed record SpecVariant(string Name, IReadOnlyList<string> Set, AdapterSpec Spec)
{
    /// <summary>The name of the variant that is the spec as committed, with no overrides.</summary>
    public const string Committed = "committed";
}
