namespace PeftOps.Contracts;

/// <summary>JSON: <c>target</c> (the task the adapter is for), <c>non_target</c> (behaviour it must not break).</summary>
public enum SuiteRole
{
    Target,
    NonTarget,
}
