namespace PeftOps.Modeling.Safetensors;

/// <summary>
/// Element types of the safetensors format, numbered in the order of the reference implementation's
/// <c>Dtype</c> enum (increasing alignment): its writer lays tensors out by descending rank, then by name.
/// </summary>
public enum SafetensorsDtype
{
    BOOL = 0,
    U8 = 1,
    I8 = 2,
    F8_E5M2 = 3,
    F8_E4M3 = 4,
    I16 = 5,
    U16 = 6,
    F16 = 7,
    BF16 = 8,
    I32 = 9,
    U32 = 10,
    F32 = 11,
    F64 = 12,
    I64 = 13,
    U64 = 14,
}
