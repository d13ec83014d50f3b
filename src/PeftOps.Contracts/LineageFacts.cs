namespace PeftOps.Contracts;

/// <summary>Where the candidate came from: base model, data, spec, code and the version it replaces.</summary>
public sealed record LineageFacts(
    BaseModelInfo BaseModel, string? AdapterSha256, string SpecSha256, IReadOnlyList<DataFileInfo> Data,
    string? Commit, string? ParentVersion, EnvironmentInfo Environment);
