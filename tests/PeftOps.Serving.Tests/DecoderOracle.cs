using PeftOps.Modeling.Chat;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Generation;
using PeftOps.Peft;

namespace PeftOps.Serving.Tests;

/// <summary>
/// What the released decoder adapter generates when run directly, outside the server: the base checkpoint and the
/// trained adapter folder loaded by hand, and the <see cref="Generator"/> on token ids the test spells out.
/// </summary>
internal sealed class DecoderOracle : IDisposable
{
    private readonly TransformerModel _model;

    public DecoderOracle(ServingSandbox sandbox)
    {
        var yaml = File.ReadAllLines(Path.Combine(sandbox.Sandbox.Repository, "adapters", sandbox.Adapter, "adapter.yaml"));
        var baseModel = yaml.Single(l => l.StartsWith("base_model: ", StringComparison.Ordinal))["base_model: ".Length..].Trim();
        _model = ModelLoader.Load(baseModel);
        new PeftModel(_model).LoadAdapter(Path.Combine(sandbox.Sandbox.Repository, "artifacts", sandbox.Adapter, "adapter"), "oracle");
    }

    /// <summary>Generation from <paramref name="text"/>'s tokens as they are, no bos (a chat prompt: the template writes what it wants).</summary>
    public GeneratedText FromRendered(string text, GenerationOptions options) =>
        new Generator(_model).Generate([_model.DecoderTokenizer!.Encode(text)], options)[0];

    /// <summary>The token ids of <paramref name="text"/> as they are, no bos.</summary>
    public int[] Tokens(string text) => _model.DecoderTokenizer!.Encode(text);

    /// <summary>A conversation's prompt ids as <c>peftops generate</c> encodes them (<see cref="Generator.EncodeChat"/>).</summary>
    public int[] ChatIds(IReadOnlyList<ChatMessage> messages) => new Generator(_model).EncodeChat(messages);

    /// <summary>Generation from token ids as they are.</summary>
    public GeneratedText FromIds(int[] ids, GenerationOptions options) => new Generator(_model).Generate([ids], options)[0];

    /// <summary>Generation from a completion prompt: bos, then the text's tokens.</summary>
    public GeneratedText FromPrompt(string prompt, GenerationOptions options) =>
        new Generator(_model).Generate([prompt], options)[0];

    public void Dispose() => _model.Dispose();
}
