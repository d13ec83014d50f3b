using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PeftOps.Cli.Tests;

/// <summary>
/// Compares docs/cli.md (<see cref="CliReference"/>) with the command tree the tool runs: every command that runs is
/// documented and every documented command exists, with the same arguments (names, order, which are optional), the same
/// options and aliases, and where the document says an option is required, repeatable or has a default, the tree
/// agrees (and the tree's required, repeatable and defaulted options are documented as such; a flag that is off unless
/// given needs no default). A flag is written without a value (or with true|false), any other option with one. The exit-code table lists exactly the codes the tool has. Each difference is one
/// line naming the command, the option and, for the document's side, its line.
/// </summary>
internal static partial class CliReferenceCheck
{
    public static List<string> Problems(RootCommand root, CliReference doc, IEnumerable<int> exitCodes)
    {
        var problems = new List<string>();
        var tree = Walk(root, "", []).ToDictionary(c => c.Path, StringComparer.Ordinal);
        foreach (var path in tree.Values.Where(c => c.Command.Action is not null && doc.Rows.All(r => r.Path != c.Path)).Select(c => c.Path))
            problems.Add($"`peftops {path}` is not in docs/cli.md");
        foreach (var row in doc.Rows.Where(r => !tree.ContainsKey(r.Path)).DistinctBy(r => r.Path))
            problems.Add($"docs/cli.md:{row.Line}: `peftops {row.Path}` does not exist");
        foreach (var (path, command, inherited) in tree.Values)
        {
            var rows = doc.Rows.Where(r => r.Path == path).ToList();
            if (rows.Count == 0)
                continue;
            CheckArguments(path, command, rows, problems);
            CheckAliases(path, command, rows, problems);
            var ancestors = AncestorPaths(path);
            CheckOptions(path, [.. command.Options.Concat(inherited).Where(o => o is not (HelpOption or VersionOption))],
                [.. ancestors.Append(path).SelectMany(doc.LeadOptionsOf).Concat(doc.OptionsOf(path))], problems);
        }
        var codes = exitCodes.ToHashSet();
        foreach (var (code, line) in doc.ExitCodes.Where(c => !codes.Contains(c.Code)))
            problems.Add($"docs/cli.md:{line}: exit code {code} is not one of ExitCodes");
        foreach (var code in codes.Where(c => doc.ExitCodes.All(d => d.Code != c)))
            problems.Add($"exit code {code} is not in docs/cli.md's table");
        return problems;
    }

    /// <summary>
    /// A summary of usages (README's table of commands): each <c>`command ARG [--option VALUE]...`</c> names a command that
    /// exists and options it has. A summary may leave options out; it may not name one that is not there. Only the
    /// section headed <paramref name="heading"/> is read.
    /// </summary>
    public static List<string> SynopsisProblems(RootCommand root, string markdown, string file, string heading)
    {
        var problems = new List<string>();
        var tree = Walk(root, "", []).ToDictionary(c => c.Path, StringComparer.Ordinal);
        var lines = markdown.Split('\n');
        var start = Array.IndexOf(lines, heading);
        if (start < 0)
            return [$"{file}: no section '{heading}'"];
        for (var i = start + 1; i < lines.Length && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            if (!lines[i].StartsWith("| `", StringComparison.Ordinal))
                continue;
            var first = lines[i].TrimStart('|').Split(" | ")[0];
            foreach (Match usage in Synopsis().Matches(first))
            {
                var tokens = usage.Groups[1].Value.Replace("\\|", "|", StringComparison.Ordinal)
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => t.Trim('[', ']').Replace("...", "", StringComparison.Ordinal)).Where(t => t.Length > 0).ToList();
                var words = tokens.TakeWhile(t => t[0] is >= 'a' and <= 'z').ToList();
                var paths = words.Aggregate(new List<string> { "" }, (acc, word) => [.. acc.SelectMany(p => word.Split('|').Select(w => p.Length == 0 ? w : $"{p} {w}"))]);
                foreach (var path in paths)
                {
                    if (!tree.TryGetValue(path, out var found))
                    {
                        problems.Add($"{file}:{i + 1}: `peftops {path}` does not exist");
                        continue;
                    }
                    var names = found.Command.Options.Concat(found.Inherited).SelectMany(o => o.Aliases.Prepend(o.Name)).ToHashSet();
                    foreach (var option in tokens.Where(t => t.StartsWith("--", StringComparison.Ordinal) && !names.Contains(t)))
                        problems.Add($"{file}:{i + 1}: `peftops {path}` has no option {option}");
                }
            }
        }
        return problems;
    }

    /// <summary>A command of the tree, its path from the root, and the recursive options it inherits from its ancestors.</summary>
    private sealed record TreeCommand(string Path, Command Command, List<Option> Inherited);

    private static IEnumerable<TreeCommand> Walk(Command command, string path, List<Option> inherited)
    {
        foreach (var child in command.Subcommands)
        {
            var childPath = path.Length == 0 ? child.Name : $"{path} {child.Name}";
            yield return new TreeCommand(childPath, child, inherited);
            foreach (var below in Walk(child, childPath, [.. inherited, .. child.Options.Where(o => o.Recursive)]))
                yield return below;
        }
    }

    private static IEnumerable<string> AncestorPaths(string path)
    {
        var words = path.Split(' ');
        return Enumerable.Range(1, words.Length - 1).Select(n => string.Join(' ', words.Take(n)));
    }

    private static void CheckArguments(string path, Command command, List<CliReference.Row> rows, List<string> problems)
    {
        var actual = command.Arguments.Select(a => (a.Name, Optional: a.Arity.MinimumNumberOfValues == 0)).ToList();
        foreach (var row in rows.Where(r => !r.Arguments.SequenceEqual(actual)))
            problems.Add($"docs/cli.md:{row.Line}: `peftops {path}` takes {Show(actual)}, the document says {Show(row.Arguments)}");
    }

    private static void CheckAliases(string path, Command command, List<CliReference.Row> rows, List<string> problems)
    {
        var documented = rows.SelectMany(r => r.Aliases).ToHashSet(StringComparer.Ordinal);
        if (!documented.SetEquals(command.Aliases))
            problems.Add($"docs/cli.md:{rows[0].Line}: `peftops {path}` has the aliases [{string.Join(", ", command.Aliases)}], the document [{string.Join(", ", documented)}]");
    }

    private static void CheckOptions(string path, List<Option> options, List<CliReference.Mention> mentions, List<string> problems)
    {
        foreach (var mention in mentions.Where(m => !options.Any(o => Names(o).Contains(m.Name))))
            problems.Add($"docs/cli.md:{mention.Line}: `peftops {path}` has no option {mention.Name}");
        foreach (var option in options)
        {
            var own = mentions.Where(m => Names(option).Contains(m.Name)).ToList();
            var where = $"`peftops {path}` {option.Name}";
            foreach (var name in Names(option).Where(n => own.All(m => m.Name != n)))
                problems.Add($"{where}: {name} is not in docs/cli.md");
            if (own.Count == 0)
                continue;
            var flag = option.ValueType == typeof(bool);
            foreach (var m in own.Where(m => flag ? m.Value is not (null or "true|false") : m.Value is null))
                problems.Add($"docs/cli.md:{m.Line}: {where} {(flag ? "is a flag: write it alone or with true|false" : "takes a value: write it with its placeholder")} (the document says `{m.Name}{(m.Value is null ? "" : $" {m.Value}")}`)");
            if (option.Required != own.Any(m => m.SaysRequired))
                problems.Add($"docs/cli.md:{own[0].Line}: {where} is {(option.Required ? "" : "not ")}required, the document says {(option.Required ? "nothing" : "(required)")}");
            var repeatable = option.Arity.MaximumNumberOfValues > 1;
            if (repeatable != own.Any(m => m.SaysRepeatable))
                problems.Add($"docs/cli.md:{own[0].Line}: {where} is {(repeatable ? "" : "not ")}repeatable, the document says {(repeatable ? "nothing" : "(repeatable)")}");
            // a flag is off unless given, which needs no saying; any other default is stated (a flag's as true/false or on/off)
            if (!option.HasDefaultValue)
                continue;
            var actual = Text(option.GetDefaultValue());
            if (own.All(m => m.Default is null) && !(flag && actual == "false"))
                problems.Add($"docs/cli.md:{own[0].Line}: {where} defaults to {actual}; the document does not say so");
            foreach (var m in own.Where(m => m.Default is { } d && d != actual && !(flag && d == (actual == "true" ? "on" : "off"))))
                problems.Add($"docs/cli.md:{m.Line}: {where} defaults to {actual}, the document says {m.Default}");
        }
    }

    private static HashSet<string> Names(Option option) => [option.Name, .. option.Aliases];

    private static string Text(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Show(IEnumerable<(string Name, bool Optional)> arguments) =>
        arguments.Any() ? string.Join(' ', arguments.Select(a => a.Optional ? $"[{a.Name}]" : a.Name)) : "no arguments";

    [GeneratedRegex(@"`([a-z][^`]*)`")]
    private static partial Regex Synopsis();
}
