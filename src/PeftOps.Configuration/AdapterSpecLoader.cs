using PeftOps.Contracts;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PeftOps.Configuration;

/// <summary>
/// Loads <c>adapters/&lt;name&gt;/adapter.yaml</c>: YAML, then <c>--set</c> overrides, then one validation pass
/// that collects every error. Defaults are the records' initial values; the keys are those of
/// <c>adapters/adapter.schema.json</c>.
/// </summary>
public static class AdapterSpecLoader
{
    public const string FileName = "adapter.yaml";

    /// <summary>Reads <c>adapter.yaml</c> in <paramref name="adapterDirectory"/>.</summary>
    /// <exception cref="InputException">The file is missing or invalid; the message lists every error, one per line.</exception>
    public static AdapterSpec Load(string adapterDirectory, IReadOnlyList<string>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(adapterDirectory);
        var path = Path.Combine(adapterDirectory, FileName);
        if (!File.Exists(path))
            throw new InputException($"{path}: not found (expected an adapter folder holding {FileName})");
        return Parse(File.ReadAllText(path), path, adapterDirectory, overrides);
    }

    /// <param name="yamlText">The spec's text.</param>
    /// <param name="sourcePath">How messages name the file (<c>adapters/x/adapter.yaml</c>).</param>
    /// <param name="directory">The adapter folder: data paths are relative to it and its name must equal the spec's name.</param>
    /// <param name="overrides"><c>key=value</c> pairs from <c>--set</c>, applied before validation.</param>
    /// <exception cref="InputException">The spec is invalid; the message lists every error, one per line.</exception>
    public static AdapterSpec Parse(string yamlText, string sourcePath, string directory, IReadOnlyList<string>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        ArgumentNullException.ThrowIfNull(sourcePath);
        ArgumentNullException.ThrowIfNull(directory);
        var context = new SpecReadContext(sourcePath);
        var root = ReadYaml(yamlText, sourcePath);
        SpecOverrides.Apply(root, overrides ?? [], context);
        var spec = SpecDefinition.Root.Read(SpecDefinition.Seed(), root, "", context);
        SpecRules.Check(spec, directory, context);
        if (context.Errors.Count > 0)
            throw new InputException(context.Describe());
        return spec with { Directory = Path.GetFullPath(directory), SourcePath = sourcePath, Locations = context.Locations() };
    }

    private static YamlMappingNode ReadYaml(string yamlText, string sourcePath)
    {
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(yamlText));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            var message = (e.InnerException as YamlException ?? e).Message;
            throw new InputException($"{sourcePath}:{e.Start.Line}: not valid YAML: {message}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner fails this way, not with a YamlException, on a flow collection ('{' or '[') left open
            // before a line break and a plain scalar: say where it stopped
            throw new InputException($"{sourcePath}:{scanner.CurrentPosition.Line}: not valid YAML: the parser stopped here; "
                + "expected every '{' and '[' closed on the lines that follow", e);
        }
        catch (ArgumentException e)
        {
            // and with an ArgumentException on a tag that is not a valid URI (!<...>, %TAG)
            var message = e.Message.Split(" (Parameter", 2)[0];
            throw new InputException($"{sourcePath}:{scanner.CurrentPosition.Line}: not valid YAML: {message}", e);
        }
        if (stream.Documents.Count == 0)
            throw new InputException($"{sourcePath}:1: the spec is empty (expected a mapping with keys {SpecDefinition.Root.KeyList})");
        if (stream.Documents.Count > 1)
            throw new InputException($"{sourcePath}:{stream.Documents[1].RootNode.Start.Line}: expected one YAML document (was {stream.Documents.Count})");
        if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            var node = stream.Documents[0].RootNode;
            throw new InputException($"{sourcePath}:{node.Start.Line}: the spec must be a mapping with keys {SpecDefinition.Root.KeyList}");
        }
        return mapping;
    }
}
