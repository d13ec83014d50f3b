namespace PeftOps.Contracts;

/// <summary>JSON: <c>train</c>, <c>validation</c>, <c>suite</c>.</summary>
public enum DataRole
{
    Train,
    Validation,
    Suite,
}
