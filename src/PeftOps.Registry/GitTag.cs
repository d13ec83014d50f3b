namespace PeftOps.Registry;

/// <summary>A tag as <c>git for-each-ref</c> reports it; lightweight tags have no tagger, date or message.</summary>
public sealed record GitTag(string Name, string Commit, bool Annotated, DateTimeOffset? TaggedAt, string? Tagger, string Message);
