namespace PeftOps.Contracts;

/// <summary>
/// The hidden first line of an adapter's sticky pull-request comments: <c>&lt;!-- peftops:report adapter=NAME --&gt;</c>
/// starts the gate report (report.md, written by Evaluation's <c>ReportRenderer</c>) and
/// <c>&lt;!-- peftops:compare adapter=NAME --&gt;</c> the method comparison (compare.md, <c>ComparisonRenderer</c>), so the
/// two comments never replace each other; GitHub's <c>ReportPublisher</c> finds each comment again by its marker. The
/// writers and the reader share this one definition. A name character outside letters, digits, '-', '_', '.' and '@'
/// becomes '_', so no name can close the HTML comment early.
/// </summary>
public static class ReportMarker
{
    /// <summary>The gate report's marker.</summary>
    public static string For(string adapter) => $"<!-- peftops:report adapter={Safe(adapter)} -->";

    /// <summary>The method comparison's marker.</summary>
    public static string ForComparison(string adapter) => $"<!-- peftops:compare adapter={Safe(adapter)} -->";

    /// <summary><paramref name="markdown"/> as it is when it holds <paramref name="marker"/>, else with the marker put first.</summary>
    public static string Prepend(string marker, string markdown)
    {
        ArgumentNullException.ThrowIfNull(marker);
        ArgumentNullException.ThrowIfNull(markdown);
        return markdown.Contains(marker, StringComparison.Ordinal) ? markdown : $"{marker}\n{markdown}";
    }

    private static string Safe(string adapter)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        return string.Concat(adapter.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@' ? c : '_'));
    }
}
