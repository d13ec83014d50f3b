using PeftOps.Contracts;
using YamlDotNet.RepresentationModel;

namespace PeftOps.Registry;

/// <summary>
/// The stages a version can be assigned to: the <c>stages</c> list of the repository's <c>.gto</c> file, GTO's own
/// settings file, so <c>gto</c> and <c>peftops</c> agree. Without the file any valid stage name is accepted, as GTO does.
/// </summary>
public sealed record RegistryStages(IReadOnlyList<string>? Allowed, string Source)
{
    public const string FileName = ".gto";

    public static RegistryStages Read(string repositoryRoot)
    {
        var file = Path.Combine(repositoryRoot, FileName);
        if (SettingsYaml.Root(file) is not { } root)
            return new RegistryStages(null, file);
        foreach (var (key, value) in root.Children)
        {
            if (key is not YamlScalarNode { Value: "stages" })
                continue;
            if (value is not YamlSequenceNode list || list.Children.Count == 0)
                throw new InputException($"{file}:{value.Start.Line}: stages must be a non-empty list of stage names such as [staging, production]");
            var stages = new List<string>();
            foreach (var item in list.Children)
            {
                if (item is not YamlScalarNode { Value: { } stage } || !GtoTagName.IsValidName(stage))
                    throw new InputException($"{file}:{item.Start.Line}: stages: '{item}' is not a valid stage name (lowercase letters, digits and '-')");
                stages.Add(stage);
            }
            return new RegistryStages(stages, file);
        }
        return new RegistryStages(null, file);
    }

    /// <summary>Throws unless <paramref name="stage"/> is one of the allowed stages.</summary>
    public void Check(string stage)
    {
        if (Allowed is { } allowed && !allowed.Contains(stage, StringComparer.Ordinal))
            throw new InputException($"stage '{stage}' is not one of the stages in {Source} ({string.Join(", ", allowed)})");
    }
}
