namespace PeftOps.Contracts;

/// <summary>What the candidate was compared with. JSON: <c>production</c>, <c>base_model</c>.</summary>
public enum BaselineKind
{
    Production,
    BaseModel,
}
