using Xunit;

namespace PeftOps.TestSupport;

/// <summary>A fact that needs the public datasets in <c>../shared</c> beside the checkout; skipped, saying so, where it is absent.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (TestPaths.SharedDirectory is null)
            Skip = $"../shared is absent beside {TestPaths.RepoRoot} (CI always has it): the public datasets are not copied into the repository";
    }
}
