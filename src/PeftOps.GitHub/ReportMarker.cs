namespace PeftOps.GitHub;

/// <summary>
/// The hidden first line of an adapter's report, <c>&lt;!-- peftops:report adapter=NAME --&gt;</c>:
/// the sticky PR comment is the one comment that carries it. A method comparison has its own,
/// <c>&lt;!-- peftops:compare adapter=NAME --&gt;</c>, so the two sticky comments never replace each other.
/// </summary>
public static class ReportMarker
{
    public static string For(string adapter) => $"<!-- peftops:report adapter={adapter} -->";

    public static string ForComparison(string adapter) => $"<!-- peftops:compare adapter={adapter} -->";

    /// <summary>The report with the marker as its first line (added when the renderer left it out).</summary>
    public static string Ensure(string adapter, string report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var marker = For(adapter);
        return report.Contains(marker, StringComparison.Ordinal) ? report : $"{marker}\n{report}";
    }

    public static bool IsIn(string adapter, string? body) =>
        body is not null && body.Contains(For(adapter), StringComparison.Ordinal);
}
