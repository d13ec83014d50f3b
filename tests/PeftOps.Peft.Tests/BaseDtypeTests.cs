using System.Globalization;
using System.Reflection;
using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Peft.Tests.Generating;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace PeftOps.Peft.Tests;

/// <summary>
/// A frozen base held in bfloat16 (<c>--dtype bf16</c>) on the tiny decoder fixtures, against the same base in float32:
/// the adapter stays float32, the logits move by bf16 rounding only, and a training step keeps the LoRA weights and
/// AdamW's moments in float32 with a loss close to float32's. The measured figures are written to the test output.
/// </summary>
public sealed class BaseDtypeTests(ITestOutputHelper output)
{
    // Measured (max |logit diff| / mean of each position's max |logit|): qwen2-lora 0.077 / 3.18 = 2.4%, mistral-lora
    // 0.0047 / 0.376 = 1.3%, llama-lora 0.0060 / 0.565 = 1.1%; argmax agreement 100%, 100%, 94.4% (17 of 18 positions).
    // bf16 keeps 8 bits of mantissa (relative rounding step 2^-8 = 0.4%) and every layer's weights and activations are
    // rounded, so a few percent of the logit scale is the expected size; 5% is twice the worst measured, while an
    // adapter computed in bf16 or not applied moves the logits by the adapter's whole delta. The random tiny models have
    // near-tied logits, so one or two of the 18 positions may change their argmax.
    private const double MaxRelativeDiff = 0.05;
    private const double MinArgmaxAgreement = 0.85;

    [Theory]
    [MemberData(nameof(DecoderCase.Names), MemberType = typeof(DecoderCase))]
    public void Bf16_base_keeps_the_adapter_in_float32_and_the_logits_within_rounding(string name)
    {
        using var fp32 = DecoderCase.Load(name);
        using var bf16 = DecoderCase.Load(name, dtype: ScalarType.BFloat16);
        Assert.All(bf16.Model.Module.named_parameters().Where(p => !p.name.Contains("lora_", StringComparison.Ordinal)),
            p => Assert.Equal(ScalarType.BFloat16, p.parameter.dtype));
        Assert.All(bf16.Peft.TrainableParameters(), p => Assert.Equal(ScalarType.Float32, p.Parameter.dtype));

        var ids = fp32.Generated["batch.input_ids"];
        var mask = fp32.Generated["batch.attention_mask"];
        using var _ = no_grad();
        var expected = fp32.Model.Logits(ids, mask);
        var actual = bf16.Model.Logits(ids, mask);
        Assert.Equal(ScalarType.BFloat16, actual.dtype);
        var kept = mask.to(ScalarType.Bool);
        var diff = (actual.to(ScalarType.Float32) - expected).abs().amax(-1).masked_select(kept);
        var maxDiff = diff.max().item<float>();
        var agreement = actual.argmax(-1).eq(expected.argmax(-1)).masked_select(kept).to(ScalarType.Float32).mean().item<float>();
        var scale = expected.abs().amax(-1).masked_select(kept).mean().item<float>();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: max |logit diff| {maxDiff:F4} (mean max |logit| {scale:F3}), argmax agreement {agreement:P1} over {kept.sum().item<long>()} positions"));
        Assert.InRange(maxDiff, 0, MaxRelativeDiff * scale);
        Assert.InRange(agreement, MinArgmaxAgreement, 1);
    }

    [Fact]
    public void A_training_step_on_a_bf16_base_keeps_lora_and_adamw_state_in_float32_and_the_loss_close()
    {
        var (lossFp32, _) = Step(ScalarType.Float32);
        var (lossBf16, state) = Step(ScalarType.BFloat16);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"qwen2-lora loss: float32 {lossFp32:F5}, bf16 base {lossBf16:F5}"));
        Assert.NotEmpty(state);
        Assert.All(state, t => Assert.Equal(ScalarType.Float32, t));
        // measured: 6.86590 vs 6.86800 (0.03%); the loss is computed from float32 logits either way
        Assert.InRange(Math.Abs(lossBf16 - lossFp32), 0, 0.005 * Math.Abs(lossFp32));
    }

    [Fact]
    public void Bf16_is_refused_for_an_encoder_in_one_line()
    {
        var e = Assert.Throws<InputException>(() => ModelLoader.Load(Path.Combine(TestSupport.TestPaths.HfPeftFixtures, "tiny-bert"),
            new ModelLoadOptions { Dtype = BaseDtype.Parse("bfloat16") }));
        Assert.Contains("--dtype bfloat16", e.Message, StringComparison.Ordinal);
        Assert.Throws<InputException>(() => BaseDtype.Parse("fp16"));
    }

    // One AdamW step on qwen2-lora's batch: the loss before it, and the dtypes of the LoRA parameters and every state tensor.
    private static (double Loss, List<ScalarType> Dtypes) Step(ScalarType dtype)
    {
        using var fixture = DecoderCase.Load("qwen2-lora", dtype: dtype);
        var ids = fixture.Generated["batch.input_ids"];
        var mask = fixture.Generated["batch.attention_mask"];
        var parameters = fixture.Peft.TrainableParameters().Select(p => p.Parameter).ToList();
        using var optimizer = optim.AdamW(parameters, 1e-3);
        var loss = fixture.Model.Loss(fixture.Model.Logits(ids, mask), null, ids, mask);
        Assert.Equal(ScalarType.Float32, loss.dtype);
        loss.backward();
        Assert.All(parameters, p => Assert.Equal(ScalarType.Float32, p.grad!.dtype));
        optimizer.step();
        var dtypes = parameters.Select(p => p.dtype).ToList();
        foreach (var state in optimizer.state_dict().State)
            dtypes.AddRange(state.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance)
                .Select(f => f.GetValue(state)).OfType<Tensor>().Select(t => t.dtype));
        return (loss.item<float>(), dtypes);
    }
}
