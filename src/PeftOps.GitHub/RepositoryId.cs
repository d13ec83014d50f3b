using PeftOps.Contracts;


namespace PeftOps.GitHub;

/// <summary>A GitHub repository as <c>owner/name</c> (the form of <c>GITHUB_REPOSITORY</c>).</summary>
public sealed record RepositoryId(string Owner, string Name)
{
    /// <summary>Parses <c>owner/name</c>; <paramref name="source"/> names where the value came from.</summary>
    public static RepositoryId Parse(string value, string source)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parts = value.Split('/');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            throw new InputException($"{source}: expected owner/name (was '{value}')");
        return new RepositoryId(parts[0], parts[1]);
    }

    public override string ToString() => $"{Owner}/{Name}";
}
