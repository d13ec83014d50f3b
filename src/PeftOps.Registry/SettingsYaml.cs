using PeftOps.Contracts;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PeftOps.Registry;

/// <summary>The repository's small settings files (<c>peftops.yaml</c>, <c>.gto</c>): their top-level mapping, YAML errors as file:line.</summary>
internal static class SettingsYaml
{
    /// <summary>The file's root mapping; null when the file is absent, empty or not a mapping.</summary>
    public static YamlMappingNode? Root(string file)
    {
        if (!File.Exists(file))
            return null;
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(file);
            yaml.Load(reader);
        }
        catch (YamlException e)
        {
            throw new InputException($"{file}:{e.Start.Line}: not valid YAML ({e.Message})", e);
        }
        return yaml.Documents.Count > 0 ? yaml.Documents[0].RootNode as YamlMappingNode : null;
    }
}
