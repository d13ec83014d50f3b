namespace PeftOps.Modeling.Onnx;

/// <summary>
/// <c>builtin.json</c> of a converted built-in model folder: where it came from and the sha256 (lower-case hex) of
/// the ONNX graph it was converted from and of every file written.
/// </summary>
public sealed record MiniLmCacheManifest(string Name, string Source, string OnnxSha256, IReadOnlyDictionary<string, string> FileSha256)
{
    /// <summary>The sha256 of <c>model.safetensors</c>: the base model's identity in lineage records.</summary>
    public string ModelSha256 => FileSha256[Safetensors.SafetensorsTorch.ModelFileName];
}
