namespace PeftOps.GitHub;

/// <summary>The check run conclusions the gate produces.</summary>
public enum CheckConclusionKind
{
    Success,
    Failure,
    Neutral,
}
