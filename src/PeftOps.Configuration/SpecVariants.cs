using System.Text.RegularExpressions;
using PeftOps.Contracts;

namespace PeftOps.Configuration;

/// <summary>
/// The variants of an adapter's spec for <c>peftops compare</c>: the committed spec, then adapter.yaml's
/// <c>compare.variants</c>, then <c>--variant NAME=key=value,key=value</c>. Each variant is the spec loaded with its
/// overrides by <see cref="AdapterSpecLoader"/> (what <c>--set</c> does), so every variant is validated before any
/// training, and every error of every variant is reported at once.
/// </summary>
public static partial class SpecVariants
{
    /// <exception cref="InputException">A variant is malformed, named twice, or makes an invalid spec; one line per error, each naming the variant.</exception>
    public static IReadOnlyList<SpecVariant> Load(string adapterDirectory, IReadOnlyList<string> commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var committed = AdapterSpecLoader.Load(adapterDirectory);
        var errors = new List<string>();
        var declared = committed.Compare.Variants.Select((v, i) => new Declared(v.Name, v.Set, committed.Locate($"compare.variants[{i}]"))).ToList();
        foreach (var text in commandLine)
        {
            if (FromCommandLine(text) is { } variant)
                declared.Add(variant);
            else
                errors.Add($"--variant {text}: expected NAME=key=value,key=value with NAME {AdapterName.Meaning} (like lora-r4=method.r=4,method.alpha=8)");
        }
        var variants = new List<SpecVariant> { new(SpecVariant.Committed, [], committed with { Compare = new CompareSpec() }) };
        var names = new HashSet<string>(StringComparer.Ordinal) { SpecVariant.Committed };
        foreach (var (name, set, where) in declared)
        {
            if (!names.Add(name))
            {
                errors.Add($"{where}: variant {name} is named twice (or is '{SpecVariant.Committed}', the spec as committed); expected unique names");
                continue;
            }
            try
            {
                var spec = AdapterSpecLoader.Load(adapterDirectory, set);
                variants.Add(new SpecVariant(name, set, spec with { Compare = new CompareSpec() }));
            }
            catch (InputException e)
            {
                errors.AddRange(e.Message.Split('\n').Select(line => $"variant {name}: {line}"));
            }
        }
        if (errors.Count > 0)
            throw new InputException(string.Join('\n', errors));
        return variants;
    }

    private sealed record Declared(string Name, IReadOnlyList<string> Set, string Where);

    /// <summary><c>NAME=key=value,key=value</c>; a comma starts a new override only before <c>key=</c>, so <c>[query,value]</c> stays one value.</summary>
    private static Declared? FromCommandLine(string text)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == text.Length - 1 || !AdapterName.IsValid(text[..eq]))
            return null;
        return new Declared(text[..eq], OverrideStart().Split(text[(eq + 1)..]), $"--variant {text[..eq]}");
    }

    [GeneratedRegex(@",(?=[a-z_][a-z0-9_.\[\]]*=)", RegexOptions.CultureInvariant)]
    private static partial Regex OverrideStart();
}

/// <summary>One variant as <c>peftops compare</c> trains it: its name, its overrides and the spec they make (without <c>compare</c>).</summary>
public sealed record SpecVariant(string Name, IReadOnlyList<string> Set, AdapterSpec Spec)
{
    /// <summary>The name of the variant that is the spec as committed, with no overrides.</summary>
    public const string Committed = "committed";
}
