namespace PeftOps.Registry.Tests;

/// <summary>A clock the test sets, so tag dates (second resolution in git) are known.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
