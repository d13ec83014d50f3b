using ArchUnitNET.Domain;
using ArchUnitNET.Loader;

namespace PeftOps.Architecture.Tests;

/// <summary>The picture in docs/architecture.md is the rule: a project reference or a type dependency it does not draw fails here.</summary>
public class ArchitectureTests
{
    private static readonly ArchitecturePicture Picture = ArchitecturePicture.Read();

    private static readonly Lazy<ArchUnitNET.Domain.Architecture> Built = new(() => new ArchLoader()
        .LoadAssemblies([.. ArchitecturePicture.SourceProjects().Select(p => System.Reflection.Assembly.Load(p.Assembly))])
        .Build());

    [Fact]
    public void The_picture_draws_every_project_under_src()
    {
        Assert.Equal(
            ArchitecturePicture.SourceProjects().Select(p => p.Name).Order(StringComparer.Ordinal),
            Picture.Projects.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_project_reference_is_an_arrow_of_the_picture_and_every_arrow_a_reference()
    {
        var references = ArchitecturePicture.SourceProjects().SelectMany(p => p.References.Select(r => (From: p.Name, To: r))).ToHashSet();

        Assert.Empty(references.Except(Picture.Arrows).Select(r => $"{r.From} references {r.To}, which {ArchitecturePicture.Document} does not draw"));
        Assert.Empty(Picture.Arrows.Except(references).Select(a => $"{ArchitecturePicture.Document} draws {a.From} --> {a.To}, which is no ProjectReference"));
    }

    [Fact]
    public void Types_use_only_the_projects_the_picture_allows()
    {
        var forbidden = Dependencies()
            .Select(d => (d.Type, d.Target, From: ProjectOf(d.Type.Namespace.FullName), To: ProjectOf(d.Target.Namespace.FullName)))
            .Where(d => d.From != d.To && !Picture.Arrows.Contains((d.From, d.To)))
            .Select(d => $"{d.Type.FullName} uses {d.Target.FullName} ({d.From} --> {d.To} is not drawn)")
            .Distinct()
            .ToList();

        Assert.Empty(forbidden);
    }

    [Fact]
    public void Namespaces_depend_on_each_other_without_cycles()
    {
        var graph = Dependencies()
            .Select(d => (From: d.Type.Namespace.FullName, To: d.Target.Namespace.FullName))
            .Where(d => d.From != d.To)
            .Distinct()
            .GroupBy(d => d.From, d => d.To)
            .ToDictionary(g => g.Key, g => g.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

        var cycles = StronglyConnected(graph).Where(c => c.Count > 1).Select(c => string.Join(" <-> ", c.Order(StringComparer.Ordinal))).ToList();

        // issue 14 broke the last four (Cli, Configuration, Peft, Training with one of their folders); none may come back
        Assert.Empty(cycles);
    }

    /// <summary>Every dependency of a PeftOps type on another PeftOps type (signatures, fields, bodies, attributes).</summary>
    private static IEnumerable<(IType Type, IType Target)> Dependencies() =>
        Built.Value.Types
            .Where(IsOurs)
            .SelectMany(t => t.Dependencies.Select(d => (Type: t, d.Target)))
            .Where(d => IsOurs(d.Target));

    // generic parameters have no namespace
    private static bool IsOurs(IType type) => type.Namespace?.FullName is { } ns && ns.StartsWith("PeftOps.", StringComparison.Ordinal);

    /// <summary>Folders are namespaces and each project's root namespace is its name: <c>PeftOps.Training.Data</c> is in PeftOps.Training.</summary>
    private static string ProjectOf(string ns) => string.Join('.', ns.Split('.').Take(2));

    /// <summary>Tarjan's strongly connected components: a component of more than one namespace is a cycle.</summary>
    private static List<List<string>> StronglyConnected(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<List<string>>();
        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
                Visit(node);
        }
        return components;

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? [])
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }
            if (low[node] != index[node])
                return;
            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            }
            while (member != node);
            components.Add(component);
        }
    }
}
