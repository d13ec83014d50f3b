namespace PeftOps.Contracts;

/// <summary>Versions and device the evaluation ran with (<c>device</c>: <c>cpu</c>, <c>cuda:0</c>, ...).</summary>
public sealed record EnvironmentInfo(string Peftops, string Torchsharp, string Libtorch, string Device, string Os);
