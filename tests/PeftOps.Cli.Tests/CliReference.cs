using System.Globalization;
using System.Text.RegularExpressions;

namespace PeftOps.Cli.Tests;

/// <summary>
/// docs/cli.md read back as data: the rows of its command tables (the first cell's <c>`command words ARG [ARG] --option
/// VALUE`</c>, the second cell's options), the options a section names before its table (<c>Every `registry` subcommand
/// takes `--registry URI`</c>), and the codes of its exit-code table. An option is a code span starting with <c>--</c>,
/// then its value placeholder, then an optional parenthesised note (<c>required</c>, <c>default X</c>, <c>repeatable</c>);
/// code spans inside a note are the note's, not options of the row.
/// </summary>
internal sealed partial class CliReference
{
    /// <summary>An option as one row (or a section's lead) names it.</summary>
    public sealed record Mention(string Name, string? Value, string Note, int Line)
    {
        public bool SaysRequired => Note.StartsWith("required", StringComparison.OrdinalIgnoreCase);

        public bool SaysRepeatable => Note.Contains("repeatable", StringComparison.OrdinalIgnoreCase);

        /// <summary>The X of <c>default X</c> or <c>default `X`</c> at the start of the note or after a ';'.</summary>
        public string? Default => DefaultInNote().Match(Note) is { Success: true } m ? m.Groups["value"].Value : null;
    }

    /// <summary>One row of a command table: the command's path (<c>registry show</c>), its arguments and aliases.</summary>
    public sealed record Row(string Path, IReadOnlyList<(string Name, bool Optional)> Arguments, IReadOnlyList<string> Aliases, int Line);

    private readonly List<Row> _rows = [];
    private readonly Dictionary<string, List<Mention>> _options = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Mention>> _leads = new(StringComparer.Ordinal);
    private readonly List<(int Code, int Line)> _exitCodes = [];

    public IReadOnlyList<Row> Rows => _rows;

    public IReadOnlyList<(int Code, int Line)> ExitCodes => _exitCodes;

    /// <summary>The options docs/cli.md names for a command path in its rows.</summary>
    public IReadOnlyList<Mention> OptionsOf(string path) => _options.TryGetValue(path, out var list) ? list : [];

    /// <summary>The options a section names before its table for the section's command and every command below it.</summary>
    public IReadOnlyList<Mention> LeadOptionsOf(string path) => _leads.TryGetValue(path, out var list) ? list : [];

    public static CliReference Parse(string markdown)
    {
        var reference = new CliReference();
        string? prefix = null;          // the command path a section's tables start from; null outside command sections
        var inExitCodes = false;
        var inTable = false;
        var commandTable = false;
        var leadOpen = false;           // between a command section's heading and its first table
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var number = i + 1;
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                var title = line[3..].Trim();
                prefix = title == "Commands" ? "" : SectionCommand().Match(title) is { Success: true } m ? m.Groups[1].Value : null;
                inExitCodes = title == "Exit codes";
                leadOpen = prefix is not null;
                inTable = false;
                continue;
            }
            if (line.StartsWith("#", StringComparison.Ordinal))
            {
                leadOpen = false;
                continue;
            }
            if (!line.StartsWith('|'))
            {
                inTable = false;
                if (leadOpen && prefix is { Length: > 0 })
                    Add(reference._leads, prefix, Mentions(line, number));
                continue;
            }
            var cells = Cells(line);
            if (!inTable)
            {
                inTable = true;
                leadOpen = false;
                commandTable = prefix is not null && cells[0] is "command" or "subcommand";
                continue;
            }
            if (cells[0].StartsWith("---", StringComparison.Ordinal))
                continue;
            if (inExitCodes && int.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out var code))
                reference._exitCodes.Add((code, number));
            else if (commandTable && prefix is not null)
                reference.AddRow(prefix, cells, number);
        }
        return reference;
    }

    private void AddRow(string prefix, IReadOnlyList<string> cells, int line)
    {
        var synopsis = CodeSpan().Match(cells[0]);
        if (!synopsis.Success)
            throw new FormatException($"docs/cli.md:{line}: the first cell '{cells[0]}' holds no `command`");
        var words = new List<string>(prefix.Length > 0 ? [prefix] : []);
        var arguments = new List<(string, bool)>();
        var mentions = new List<Mention>();
        var tokens = synopsis.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var t = 0; t < tokens.Length; t++)
        {
            var token = tokens[t];
            if (token.StartsWith("--", StringComparison.Ordinal))
            {
                var value = t + 1 < tokens.Length && !tokens[t + 1].StartsWith("--", StringComparison.Ordinal) ? tokens[++t] : null;
                mentions.Add(new Mention(token, value, "", line));
            }
            else if (ArgumentName().Match(token) is { Success: true } argument)
                arguments.Add((argument.Groups["name"].Value, token.StartsWith('[')));
            else if (arguments.Count == 0 && mentions.Count == 0)
                words.Add(token);
            else
                throw new FormatException($"docs/cli.md:{line}: '{token}' in `{synopsis.Groups[1].Value}` is neither a command, an ARGUMENT nor an --option");
        }
        var path = string.Join(' ', words);
        var aliases = AliasNote().Match(cells[0][(synopsis.Index + synopsis.Length)..]) is { Success: true } a
            ? CodeSpan().Matches(a.Value).Select(m => m.Groups[1].Value).ToList()
            : [];
        _rows.Add(new Row(path, arguments, aliases, line));
        Add(_options, path, mentions);
        if (cells.Count > 1)
            Add(_options, path, Mentions(cells[1], line));
    }

    private static void Add(Dictionary<string, List<Mention>> into, string path, IEnumerable<Mention> mentions)
    {
        if (!into.TryGetValue(path, out var list))
            into[path] = list = [];
        list.AddRange(mentions);
    }

    /// <summary>The options a piece of text names, each with its note; code spans inside a note are skipped.</summary>
    private static List<Mention> Mentions(string text, int line)
    {
        var found = new List<Mention>();
        var at = 0;
        while (CodeSpan().Match(text, at) is { Success: true } span)
        {
            at = span.Index + span.Length;
            var content = span.Groups[1].Value;
            if (!content.StartsWith("--", StringComparison.Ordinal))
                continue;
            var space = content.IndexOf(' ', StringComparison.Ordinal);
            var note = "";
            var open = at;
            while (open < text.Length && text[open] == ' ')
                open++;
            if (open < text.Length && text[open] == '(')
            {
                var close = Close(text, open);
                note = text[(open + 1)..close].Trim();
                at = close + 1;
            }
            found.Add(new Mention(space < 0 ? content : content[..space], space < 0 ? null : content[(space + 1)..].Trim(), note, line));
        }
        return found;
    }

    private static int Close(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0)
                return i;
        }
        return text.Length - 1;
    }

    /// <summary>A table row's cells, with <c>\|</c> (a pipe inside a cell) kept as '|'.</summary>
    private static List<string> Cells(string line) =>
        [.. UnescapedPipe().Split(line.Trim().Trim('|')).Select(c => c.Replace("\\|", "|", StringComparison.Ordinal).Trim())];

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^`([a-z][a-z -]*)`$")]
    private static partial Regex SectionCommand();

    [GeneratedRegex(@"^\[?(?<name>[A-Z][A-Z0-9_]*)\]?$")]
    private static partial Regex ArgumentName();

    [GeneratedRegex(@"\(alias(?:es)?\s[^)]*\)")]
    private static partial Regex AliasNote();

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex UnescapedPipe();

    [GeneratedRegex(@"(?:^|;\s*)default:?\s+(?:`(?<value>[^`]+)`|(?<value>[^\s;,:)]+))")]
    private static partial Regex DefaultInNote();
}
