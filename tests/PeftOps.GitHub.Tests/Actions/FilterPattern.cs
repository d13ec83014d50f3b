using System.Text;
using System.Text.RegularExpressions;

namespace PeftOps.GitHub.Tests.Actions;

/// <summary>
/// GitHub's filter patterns for branches, tags and paths: <c>*</c> any characters but '/', <c>**</c> any characters,
/// <c>+</c> one or more of the previous character, <c>?</c> zero or one of it, <c>[...]</c> a class; a pattern that
/// starts with <c>!</c> excludes what the patterns before it matched, and the last match wins.
/// (docs.github.com/actions/writing-workflows/workflow-syntax-for-github-actions#filter-pattern-cheat-sheet)
/// </summary>
internal static class FilterPattern
{
    public static bool Matches(IReadOnlyList<string> patterns, string value)
    {
        var matched = false;
        foreach (var pattern in patterns)
        {
            var negated = pattern.StartsWith('!');
            if (Regex.IsMatch(value, ToRegex(negated ? pattern[1..] : pattern)))
                matched = !negated;
        }
        return matched;
    }

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                regex.Append(".*");
                i++;
            }
            else if (c == '*')
                regex.Append("[^/]*");
            else if (c is '+' or '?')
                regex.Append(c);
            else if (c == '[')
            {
                var end = pattern.IndexOf(']', i);
                regex.Append(pattern, i, end - i + 1);
                i = end;
            }
            else
                regex.Append(Regex.Escape(c.ToString()));
        }
        return regex.Append('$').ToString();
    }
}
