using PeftOps.Modeling.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Llama;

/// <summary>Pre-norm block: h += attn(norm(h)); h += mlp(norm(h)).</summary>
public sealed class LlamaDecoderLayer : nn.Module<Tensor, Tensor, (Tensor Cos, Tensor Sin), Tensor>
{
    private readonly LlamaAttention self_attn;
    private readonly LlamaMlp mlp;
    private readonly RmsNorm input_layernorm;
    private readonly RmsNorm post_attention_layernorm;

    public LlamaDecoderLayer(LlamaConfig config) : base(nameof(LlamaDecoderLayer))
    {
        self_attn = new LlamaAttention(config);
        mlp = new LlamaMlp(config);
        input_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        post_attention_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor additiveMask, (Tensor Cos, Tensor Sin) rope)
    {
        using var scope = NewDisposeScope();
        var h = hidden.Plus(self_attn.forward(input_layernorm.forward(hidden), additiveMask, rope));
        return h.Plus(mlp.forward(post_attention_layernorm.forward(h))).MoveToOuterDisposeScope();
    }

    /// <summary>The same block over new tokens, attending over layer <paramref name="layer"/> of <paramref name="cache"/>.</summary>
    public Tensor forward(Tensor hidden, Tensor additiveMask, (Tensor Cos, Tensor Sin) rope, KvCache cache, int layer)
    {
        using var scope = NewDisposeScope();
        var h = hidden.Plus(self_attn.forward(input_layernorm.forward(hidden), additiveMask, rope, cache, layer));
        return h.Plus(mlp.forward(post_attention_layernorm.forward(h))).MoveToOuterDisposeScope();
    }
}
