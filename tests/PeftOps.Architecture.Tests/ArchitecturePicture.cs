using System.Text.RegularExpressions;
using System.Xml.Linq;
using PeftOps.TestSupport;

namespace PeftOps.Architecture.Tests;

/// <summary>
/// The Mermaid flowchart of docs/architecture.md, read as the rule it draws: its nodes are the projects under
/// <c>src/</c>, and an arrow <c>A --> B</c> allows project A to use project B. Nothing else is allowed.
/// </summary>
internal sealed partial record ArchitecturePicture(IReadOnlySet<string> Projects, IReadOnlySet<(string From, string To)> Arrows)
{
    public const string Document = "docs/architecture.md";

    public static ArchitecturePicture Read()
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, Document)).ReplaceLineEndings("\n");
        var start = text.IndexOf("```mermaid\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{Document} has no ```mermaid block");
        var block = text[start..text.IndexOf("\n```", start + 1, StringComparison.Ordinal)];

        // Cli["PeftOps.Cli<br/>the peftops tool"]: node id and the project it stands for
        var nodes = Node().Matches(block).ToDictionary(m => m.Groups["id"].Value, m => m.Groups["project"].Value);
        var arrows = Arrow().Matches(block).Select(m => (From: Project(m.Groups["from"].Value), To: Project(m.Groups["to"].Value))).ToHashSet();
        return new ArchitecturePicture(nodes.Values.ToHashSet(StringComparer.Ordinal), arrows);

        string Project(string id) =>
            nodes.TryGetValue(id, out var project) ? project : throw new InvalidOperationException($"{Document}: arrow to or from '{id}', which is no node");
    }

    /// <summary>Each project under <c>src/</c>: its name, its assembly's name, and the projects it references.</summary>
    public static IReadOnlyList<(string Name, string Assembly, IReadOnlyList<string> References)> SourceProjects() =>
        [.. Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "src"), "*.csproj", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path =>
            {
                var project = XDocument.Load(path);
                var name = Path.GetFileNameWithoutExtension(path);
                var assembly = project.Descendants("AssemblyName").FirstOrDefault()?.Value ?? name;
                var references = project.Descendants("ProjectReference")
                    .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value)).ToList();
                return (name, assembly, (IReadOnlyList<string>)references);
            })];

    [GeneratedRegex(@"^\s*(?<id>\w+)\[""(?<project>PeftOps\.\w+)", RegexOptions.Multiline)]
    private static partial Regex Node();

    [GeneratedRegex(@"^\s*(?<from>\w+)\s*-->\s*(?<to>\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex Arrow();
}
