namespace PeftOps.Registry;

/// <summary>
/// An adapter's registry state, folded from its tags in order of tagger date, then GTO counter
/// (registrations carry none and sort first within a second).
/// </summary>
public sealed record AdapterState(string Adapter, IReadOnlyList<RegistryEvent> Events)
{
    /// <summary>Registered and not deregistered versions, oldest semver first.</summary>
    public IReadOnlyList<string> Versions =>
        Events.Where(e => e.Action == GtoAction.Register).Select(e => e.Version!)
            .Where(v => !Events.Any(d => d.Action == GtoAction.Deregister && d.Version == v))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(GtoTagName.ParseVersion, Semver.SemVersion.PrecedenceComparer)
            .ToList();

    /// <summary>The greatest registered version (GTO's "latest" with semver sort), or null.</summary>
    public string? Latest => Versions.Count > 0 ? Versions[^1] : null;

    public bool Deprecated => Events.Any(e => e.Action == GtoAction.Deprecate);

    public IReadOnlyList<string> Stages =>
        Events.Where(e => e.Stage is not null).Select(e => e.Stage!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public RegistryEvent? Registration(string version) =>
        Events.LastOrDefault(e => e.Action == GtoAction.Register && e.Version == version);

    public bool IsRegistered(string version) => Versions.Contains(version);

    /// <summary>The version holding <paramref name="stage"/> at <paramref name="at"/> (now when null), or null.</summary>
    public string? StageVersion(string stage, DateTimeOffset? at = null)
    {
        var holders = StageHolders(stage, at);
        return holders.Count > 0 ? holders[^1] : null;
    }

    /// <summary>
    /// The stage's holders as a stack, current last: an assignment pushes its version, a rollback pops the
    /// current holder (so rolling back twice walks back twice), an unassignment or deregistration removes the version.
    /// </summary>
    public IReadOnlyList<string> StageHolders(string stage, DateTimeOffset? at = null)
    {
        var stack = new List<string>();
        foreach (var e in Events)
        {
            if (at is { } t && e.At > t)
                break;
            if (e.Action == GtoAction.Deregister)
                stack.RemoveAll(v => v == e.Version);
            if (e.Stage != stage || e.Version is null)
                continue;
            if (e.Action == GtoAction.Unassign)
            {
                stack.RemoveAll(v => v == e.Version);
            }
            else if (e.Action == GtoAction.Assign)
            {
                if (e.Rollback && stack.Count > 0)
                    stack.RemoveAt(stack.Count - 1);
                if (stack.Count == 0 || stack[^1] != e.Version)
                    stack.Add(e.Version);
            }
        }
        return stack;
    }
}
