using System.Text;
using PeftOps.Contracts;

namespace PeftOps.Evaluation.Reporting;

/// <summary>
/// Makes text from data (examples, labels, spec values) inert in GitHub Markdown: HTML is entity-encoded, every
/// ASCII punctuation character Markdown gives meaning to is backslash-escaped (pipes included, so table cells hold),
/// line breaks and other control characters become spaces, and an @ gets a zero-width space after it so that
/// data cannot mention people.
/// </summary>
public static class MarkdownText
{
    private const string Escaped = "\\`*_{}[]()#+-.!|~:";

    /// <param name="maxLength">longer text is cut (counting UTF-16 units before escaping, never inside a surrogate pair) and ends with an ellipsis.</param>
    /// <param name="lineBreaks">line breaks become <c>&lt;br&gt;</c> (which a GFM table cell shows as a new line) instead of spaces.</param>
    public static string Escape(string? text, int maxLength = int.MaxValue, bool lineBreaks = false)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        if (lineBreaks)
            text = text.ReplaceLineEndings("\n");
        var source = text.Length > maxLength ? SafeText.Truncate(text, maxLength).TrimEnd() + "…" : text;
        var result = new StringBuilder(source.Length + 16);
        foreach (var ch in source)
        {
            switch (ch)
            {
                case '&': result.Append("&amp;"); break;
                case '<': result.Append("&lt;"); break;
                case '>': result.Append("&gt;"); break;
                case '"': result.Append("&quot;"); break;
                case '\'': result.Append("&#39;"); break;
                case '@': result.Append("@\u200B"); break;
                case '\n' when lineBreaks: result.Append("<br>"); break;
                case '\r' or '\n' or '\t': result.Append(' '); break;
                case var c when char.IsControl(c): result.Append(' '); break;
                case var c when Escaped.Contains(c, StringComparison.Ordinal): result.Append('\\').Append(c); break;
                default: result.Append(ch); break;
            }
        }
        return result.ToString();
    }

    /// <summary>
    /// A code span for keys and hashes, meant for table cells (a pipe is written \| as GFM tables need); text holding
    /// a backtick or a line break is escaped as plain text instead, since it could end the span.
    /// </summary>
    public static string Code(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        return text.Any(c => c == '`' || char.IsControl(c)) ? Escape(text) : "`" + text.Replace("|", "\\|", StringComparison.Ordinal) + "`";
    }
}
