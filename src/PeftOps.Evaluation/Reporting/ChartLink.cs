namespace PeftOps.Evaluation;

/// <summary>A chart written beside report.md: its file name (relative link) and alt text.</summary>
public sealed record ChartLink(string FileName, string Title);
