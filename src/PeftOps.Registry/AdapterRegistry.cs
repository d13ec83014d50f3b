using PeftOps.Configuration;
using PeftOps.Contracts;

namespace PeftOps.Registry;

/// <summary>
/// The adapter registry: versions and stages as GTO git tags in <see cref="Git"/>, files in <see cref="Store"/>.
/// Every command of <c>peftops registry</c> is one method here.
/// </summary>
public sealed partial class AdapterRegistry
{
    private readonly TimeProvider _time;

    public AdapterRegistry(GitRepository git, IArtifactStore store, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(git);
        ArgumentNullException.ThrowIfNull(store);
        Git = git;
        Store = store;
        _time = time ?? TimeProvider.System;
    }

    public GitRepository Git { get; }

    public IArtifactStore Store { get; }

    /// <summary>
    /// Opens the repository around <paramref name="directory"/> and the store <see cref="RegistryLocation"/> resolves
    /// there; a command that writes (<paramref name="writes"/>) refuses a store that will not outlive the job.
    /// </summary>
    public static async Task<AdapterRegistry> OpenAsync(string directory, string? registryOption, bool writes, CancellationToken cancellationToken)
    {
        var git = await GitRepository.OpenAsync(directory, cancellationToken).ConfigureAwait(false);
        var location = RegistryLocation.Resolve(registryOption, git.Root);
        if (writes)
            location.RequireDurable();
        return new AdapterRegistry(git, location.OpenStore());
    }

    public async Task<IReadOnlyList<AdapterState>> AdaptersAsync(CancellationToken cancellationToken) =>
        TagReader.Fold(await Git.ListTagsAsync(cancellationToken).ConfigureAwait(false));

    public async Task<AdapterState> StateAsync(string adapter, CancellationToken cancellationToken)
    {
        CheckName(adapter, "adapter");
        var all = await AdaptersAsync(cancellationToken).ConfigureAwait(false);
        return all.FirstOrDefault(s => s.Adapter == adapter) ?? new AdapterState(adapter, []);
    }

    private static string Key(string adapter, string version, string file) => $"{adapter}/{version}/{file}";

    private static void CheckName(string value, string what)
    {
        var valid = what == "adapter" ? AdapterName.IsValid(value) : GtoTagName.IsValidName(value) && !value.Contains('/', StringComparison.Ordinal);
        if (!valid)
            throw new InputException(what == "adapter"
                ? $"adapter '{value}' is not a valid name (expected {AdapterName.Meaning})"
                : $"{what} '{value}' is not a valid name (expected lowercase letters, digits and '-', starting and ending with a letter or digit)");
    }

    /// <summary>A stage name that is also one of the repository's stages (<see cref="RegistryStages"/>).</summary>
    private void CheckStage(string stage)
    {
        CheckName(stage, "stage");
        RegistryStages.Read(Git.Root).Check(stage);
    }

    private static string CheckVersion(string version) =>
        GtoTagName.NormalizeVersion(version)
        ?? throw new InputException($"version '{version}' is not a semantic version (expected e.g. 1.2.0 or v1.2.0)");

    private static string RequireRegistered(AdapterState state, string version)
    {
        if (!state.IsRegistered(version))
        {
            var known = state.Versions.Count > 0 ? string.Join(", ", state.Versions) : "none";
            throw new InputException($"{state.Adapter}@{version} is not a registered version (registered: {known})");
        }
        return version;
    }
}
