namespace PeftOps.Contracts;

/// <summary>Where a rule's p-value comes from. JSON: <c>mcnemar</c>, <c>bootstrap</c>.</summary>
public enum PTest
{
    Mcnemar,
    Bootstrap,
}
