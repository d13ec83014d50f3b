namespace PeftOps.GitHub;

/// <summary>A completed check run: <c>name</c> on <c>head_sha</c>, with output title and Markdown summary.</summary>
public sealed record CheckRunRequest(string Name, string HeadSha, CheckConclusionKind Conclusion, string Title, string Summary);
