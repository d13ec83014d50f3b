using System.Text;
using System.Text.RegularExpressions;

namespace PeftOps.GitHub.Tests.Actions;

/// <summary>
/// GitHub's filter patterns for branches, tags and paths, matched against the whole name, case-sensitively:
/// <c>*</c> any characters but '/', <c>**</c> any characters (<c>**/</c> also none, so <c>**/README.md</c> matches
/// <c>README.md</c>), <c>?</c> zero or one of the character before it, <c>+</c> one or more of it, <c>[...]</c> one
/// character of a class of letters, digits and the ranges a-z, A-Z, 0-9, <c>\</c> the next character as itself. A
/// pattern that starts with <c>!</c> excludes what the patterns before it matched; the last pattern that matches wins,
/// and a list needs at least one pattern without <c>!</c>. A pattern GitHub would refuse throws
/// <see cref="FormatException"/>. (docs.github.com/actions/reference/workflows-and-actions/workflow-syntax#filter-pattern-cheat-sheet)
/// </summary>
internal static class FilterPattern
{
    public static bool Matches(IReadOnlyList<string> patterns, string value)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        if (patterns.Count > 0 && patterns.All(p => p.StartsWith('!')))
            throw new FormatException($"[{string.Join(", ", patterns)}]: only negative patterns; at least one must be positive");
        var matched = false;
        foreach (var pattern in patterns)
        {
            var negated = pattern.StartsWith('!');
            if (ToRegex(negated ? pattern[1..] : pattern).IsMatch(value))
                matched = !negated;
        }
        return matched;
    }

    /// <summary>The pattern as an anchored regular expression.</summary>
    public static Regex ToRegex(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var regex = new StringBuilder("^");
        var quantifiable = false; // whether the last piece is one character or class, which ? and + may repeat
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            var piece = c switch
            {
                '*' when Next(pattern, i) == '*' && Next(pattern, i + 1) == '/' => "(?:.*/)?",
                '*' when Next(pattern, i) == '*' => ".*",
                '*' => "[^/]*",
                '?' or '+' => quantifiable ? c.ToString() : throw new FormatException($"'{pattern}': '{c}' at {i} repeats no character"),
                '[' => Class(pattern, ref i),
                '\\' => i + 1 < pattern.Length ? Regex.Escape(pattern[++i].ToString()) : throw new FormatException($"'{pattern}': '\\' at the end escapes nothing"),
                _ => Regex.Escape(c.ToString()),
            };
            if (piece.StartsWith("(?:", StringComparison.Ordinal))
                i += 2;
            else if (piece == ".*")
                i++;
            quantifiable = c is not ('*' or '?' or '+');
            regex.Append(piece);
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    private static char Next(string pattern, int i) => i + 1 < pattern.Length ? pattern[i + 1] : '\0';

    /// <summary><c>[...]</c> from <paramref name="i"/> (its '[') to its ']', where <paramref name="i"/> is left.</summary>
    private static string Class(string pattern, ref int i)
    {
        var close = pattern.IndexOf(']', i + 1);
        if (close < 0)
            throw new FormatException($"'{pattern}': '[' at {i} is not closed");
        var body = pattern[(i + 1)..close];
        if (body.Length == 0)
            throw new FormatException($"'{pattern}': empty brackets at {i}");
        for (var k = 0; k < body.Length; k++)
        {
            if (body[k] == '-' && k > 0 && k + 1 < body.Length && Range(body[k - 1], body[k + 1]))
                continue;
            if (!char.IsAsciiLetterOrDigit(body[k]))
                throw new FormatException($"'{pattern}': '{body[k]}' in [{body}]: a class holds letters, digits and the ranges a-z, A-Z, 0-9");
        }
        i = close;
        return $"[{body}]";
    }

    private static bool Range(char from, char to) =>
        from <= to && ((char.IsAsciiLetterLower(from) && char.IsAsciiLetterLower(to))
            || (char.IsAsciiLetterUpper(from) && char.IsAsciiLetterUpper(to))
            || (char.IsAsciiDigit(from) && char.IsAsciiDigit(to)));
}
