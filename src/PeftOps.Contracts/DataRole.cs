using System.Text.Json;

namespace PeftOps.Contracts;

/// <summary>JSON: <c>train</c>, <c>validation</c>, <c>suite</c>.</summary>
public enum DataRole
{
    Train,
    Validation,
    Suite,
}

public static class DataRoles
{
    /// <summary>The role as eval.json spells it (<c>train</c>, <c>validation</c>, <c>suite</c>).</summary>
    public static string Name(DataRole role) => JsonNamingPolicy.SnakeCaseLower.ConvertName(role.ToString());
}
