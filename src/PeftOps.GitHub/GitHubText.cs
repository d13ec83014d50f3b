namespace PeftOps.GitHub;

/// <summary>GitHub's size limits on the Markdown PeftOps posts.</summary>
public static class GitHubText
{
    /// <summary>Characters GitHub accepts in a comment body, a check run summary or a release body.</summary>
    public const int MaxBodyLength = 65535;

    /// <summary>
    /// <paramref name="markdown"/> cut to <paramref name="limit"/> characters, ending with a note that
    /// says how much was kept and where the full report is; unchanged when it already fits.
    /// </summary>
    public static string Truncate(string markdown, int limit = MaxBodyLength)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        if (markdown.Length <= limit)
            return markdown;
        var note = $"\n\n---\n_Report truncated to fit GitHub's limit of {limit} characters ({markdown.Length} in full); the full report.md is in the run's artifacts._\n";
        var keep = Math.Max(0, limit - note.Length);
        // never split a UTF-16 surrogate pair
        if (keep > 0 && char.IsHighSurrogate(markdown[keep - 1]))
            keep--;
        return string.Concat(markdown.AsSpan(0, keep), note);
    }
}
