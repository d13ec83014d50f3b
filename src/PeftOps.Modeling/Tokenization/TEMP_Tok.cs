namespace PeftOps.Modeling.Tokenization; public sealed class BertWordPieceTokenizer { public static BertWordPieceTokenizer FromFile(string p) => throw new NotSupportedException(p); }
