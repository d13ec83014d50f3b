using PeftOps.Contracts;
using System.Text.Json;

namespace PeftOps.Modeling.Tokenization;

/// <summary>A Hugging Face <c>tokenizer.json</c>, read by the tokenizer its <c>model.type</c> names.</summary>
public static class TokenizerJson
{
    public static IDecoderTokenizer Load(string path)
    {
        using (var document = JsonInput.Parse(path, File.ReadAllText(path)))
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
                throw new InputException($"{path}: model is missing; expected the tokenizer model object of a Hugging Face tokenizer.json");
            var type = model.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : t.ValueKind == JsonValueKind.Undefined ? null : t.GetRawText();
            return type switch
            {
                "WordLevel" => WordLevelTokenizer.FromJson(path, root),
                "BPE" => ByteLevelBpeTokenizer.FromJson(path, root),
                _ => throw new InputException($"{path}: model.type is '{type}'; expected BPE (byte-level) or WordLevel, or give the checkpoint's SentencePiece tokenizer.model"),
            };
        }
    }
}
