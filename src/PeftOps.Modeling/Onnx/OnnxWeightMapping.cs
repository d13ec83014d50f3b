namespace PeftOps.Modeling.Onnx;

/// <summary>
/// Where one Hugging Face parameter lives in an ONNX graph: the initializer, and whether it is stored as
/// <c>[in, out]</c> (a MatMul right-hand side) and must be transposed to PyTorch's <c>[out, in]</c>.
/// </summary>
public sealed record OnnxWeightMapping(string HfName, string InitializerName, bool Transpose);
