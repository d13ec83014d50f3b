using PeftOps.Modeling.Bert;
using PeftOps.Modeling.Layers;
using PeftOps.Modeling.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PeftOps.Training.Benchmarking;

/// <summary>
/// The yardstick for <c>peftops bench</c>: a BERT sequence classifier with LoRA on query and value written as one
/// flat TorchSharp loop, no PeftOps module, adapter or trainer in it. It does the same arithmetic as a
/// PeftOps training step (embeddings, additive attention mask, exact GELU, post-LayerNorm blocks, every dropout,
/// LoRA <c>W x + b + s B A dropout(x)</c>, pooler, classifier, cross-entropy, clipping, AdamW), starting from copies
/// of the same weights, so the two losses agree in eval mode and their step times compare like for like.
/// With <c>fusedAttention</c> the attention of every layer is libtorch's fused <c>scaled_dot_product_attention</c>
/// (its dropout on the probabilities in training, none in eval), the same arithmetic in one kernel: the fused yardstick.
/// </summary>
public sealed class PlainLoraLoop : IDisposable
{
    private readonly BertConfig config;
    private readonly Dictionary<string, Tensor> w;
    private readonly Parameter[] trainable;
    private readonly optim.Optimizer optimizer;
    private readonly double scaling;
    private readonly double loraDropout;
    private readonly double maxGradNorm;
    private readonly bool fusedAttention;

    /// <param name="weights">HF state-dict names: <c>bert.*</c> and <c>classifier.*</c>, and per layer <c>…query.lora_A</c>/<c>lora_B</c>, <c>…value.lora_A</c>/<c>lora_B</c>; copied.</param>
    public PlainLoraLoop(BertConfig config, IReadOnlyDictionary<string, Tensor> weights, double scaling, double loraDropout,
        double learningRate, double weightDecay, double maxGradNorm, bool fusedAttention = false)
    {
        ArgumentNullException.ThrowIfNull(weights);
        this.config = config;
        this.scaling = scaling;
        this.loraDropout = loraDropout;
        this.maxGradNorm = maxGradNorm;
        this.fusedAttention = fusedAttention;
        w = [];
        var parameters = new List<Parameter>();
        foreach (var (name, value) in weights)
        {
            var copy = value.detach().clone();
            if (name.Contains(".lora_", StringComparison.Ordinal) || name.StartsWith("classifier.", StringComparison.Ordinal))
            {
                var parameter = new Parameter(copy);
                parameters.Add(parameter);
                copy = parameter;
            }
            w[name] = copy;
        }
        trainable = [.. parameters];
        optimizer = optim.AdamW(trainable, learningRate, 0.9, 0.999, 1e-8, weightDecay);
    }

    public int TrainableTensors => trainable.Length;

    public bool Training { get; set; } = true;

    /// <summary>[B, labels] logits.</summary>
    public Tensor Logits(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (inputIds.shape[0], inputIds.shape[1]);
        var positions = HeldScalars.Arange(t, inputIds.device).unsqueeze(0);
        var x = Lookup(inputIds, "bert.embeddings.word_embeddings.weight")
            .Plus(Lookup(positions, "bert.embeddings.position_embeddings.weight"))
            .Plus(Lookup(zeros_like(inputIds), "bert.embeddings.token_type_embeddings.weight"));
        x = Drop(LayerNorm(x, "bert.embeddings.LayerNorm"), config.HiddenDropoutProb);
        var mask = BertModel.AdditiveMask(attentionMask, x.dtype);
        var (heads, d) = (config.NumAttentionHeads, config.HeadDim);
        for (var layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            var p = $"bert.encoder.layer.{layer}.";
            Tensor Split(Tensor y) => y.view(b, t, heads, d).transpose(1, 2);
            var q = Split(Lora(x, p + "attention.self.query"));
            var k = Split(Linear(x, p + "attention.self.key"));
            var v = Split(Lora(x, p + "attention.self.value"));
            var attended = fusedAttention
                ? F.scaled_dot_product_attention(q, k, v, mask, p: Training ? config.AttentionProbsDropoutProb : 0)
                : matmul(Drop(F.softmax(matmul(q, k.transpose(-1, -2)).div(HeldScalars.Of(Math.Sqrt(d))).Plus(mask), -1), config.AttentionProbsDropoutProb), v);
            var context = attended.transpose(1, 2).contiguous().view(b, t, heads * d);
            x = LayerNorm(Drop(Linear(context, p + "attention.output.dense"), config.HiddenDropoutProb).Plus(x), p + "attention.output.LayerNorm");
            var inner = F.gelu(Linear(x, p + "intermediate.dense"));
            x = LayerNorm(Drop(Linear(inner, p + "output.dense"), config.HiddenDropoutProb).Plus(x), p + "output.LayerNorm");
        }
        var pooled = tanh(Linear(x.select(1, 0), "bert.pooler.dense"));
        return Linear(Drop(pooled, config.ClassifierDropout ?? config.HiddenDropoutProb), "classifier").MoveToOuterDisposeScope();
    }

    /// <summary>One optimizer step on one batch; returns the loss (0-d, on the device).</summary>
    public Tensor Step(Tensor inputIds, Tensor attentionMask, Tensor labels, double learningRate)
    {
        using var scope = NewDisposeScope();
        var loss = F.cross_entropy(Logits(inputIds, attentionMask), labels);
        loss.backward();
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = learningRate;
        nn.utils.clip_grad_norm_(trainable, maxGradNorm);
        optimizer.step();
        optimizer.zero_grad();
        return loss.detach().MoveToOuterDisposeScope();
    }

    private Tensor Lookup(Tensor ids, string name) => w[name].index_select(0, ids.flatten()).view([.. ids.shape, -1]);

    private Tensor Linear(Tensor x, string name) => F.linear(x, w[name + ".weight"], w[name + ".bias"]);

    private Tensor Lora(Tensor x, string name) =>
        Linear(x, name).Plus(F.linear(F.linear(Drop(x, loraDropout), w[name + ".lora_A"]), w[name + ".lora_B"].mul(HeldScalars.Of(scaling))));

    private Tensor LayerNorm(Tensor x, string name) =>
        F.layer_norm(x, [config.HiddenSize], w[name + ".weight"], w[name + ".bias"], config.LayerNormEps);

    private Tensor Drop(Tensor x, double p) => Training && p > 0 ? CounterDropout.Drop(x, p) : x;

    public void Dispose()
    {
        optimizer.Dispose();
        foreach (var tensor in w.Values)
            tensor.Dispose();
    }
}
