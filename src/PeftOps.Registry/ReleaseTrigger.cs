using PeftOps.Contracts;

namespace PeftOps.Registry;

/// <summary>
/// How a release was started, one of the facts <see cref="ReleasePolicy"/> decides on. <c>release.yml</c> passes
/// <see cref="TagPush"/> for a pushed tag and <see cref="Dispatch"/> for its <c>release</c> dispatch (both behind the
/// <c>release</c> environment's approval); anything run by hand is <see cref="Local"/>.
/// </summary>
public enum ReleaseTrigger
{
    /// <summary><c>local</c>: <c>./build.sh --target=Release</c> or <c>peftops registry release</c> run by a person.</summary>
    Local,

    /// <summary><c>tag-push</c>: a plain tag <c>NAME@vX.Y.Z</c> pushed to GitHub started release.yml.</summary>
    TagPush,

    /// <summary><c>dispatch</c>: release.yml's <c>workflow_dispatch</c> with <c>action: release</c>.</summary>
    Dispatch,
}

/// <summary>The names <c>--trigger</c> takes.</summary>
public static class ReleaseTriggers
{
    private static readonly (ReleaseTrigger Trigger, string Name)[] Names =
        [(ReleaseTrigger.Local, "local"), (ReleaseTrigger.TagPush, "tag-push"), (ReleaseTrigger.Dispatch, "dispatch")];

    /// <summary>The trigger's name: <c>local</c>, <c>tag-push</c> or <c>dispatch</c>.</summary>
    public static string Name(ReleaseTrigger trigger) => Names.Single(n => n.Trigger == trigger).Name;

    /// <summary>Reads <c>--trigger</c>'s value; anything else is bad input naming the three.</summary>
    public static ReleaseTrigger Parse(string value) =>
        Names.FirstOrDefault(n => string.Equals(n.Name, value, StringComparison.Ordinal)) is { Name: not null } found
            ? found.Trigger
            : throw new InputException($"--trigger: expected {string.Join(", ", Names.Select(n => n.Name))} (was '{value}')");
}
