using PeftOps.Modeling.Layers;
using PeftOps.Peft.Methods;
using PeftOps.TestSupport;
using static TorchSharp.torch;

namespace PeftOps.Peft.Tests;

/// <summary>
/// LoRA and DoRA dropout in train mode against a manual computation with the same dropout mask
/// (same seed of torch's global generator), within 1e-5.
/// </summary>
[Collection(GlobalRngCollection.Name)]
public sealed class DropoutTests
{
    [Fact]
    public void Dropout_in_train_mode_drops_only_the_adapter_input()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);
        peft.AddAdapter("a", LoraOptionsTests.Lora("query") with { LoraDropout = 0.5 }, new Generator(8));
        var layer = model.LinearLayers().Single(l => l.Name == LoraOptionsTests.Query0).Layer;
        var lora = (LoraAdapter)layer.Adapters["a"];
        var x = randn(3, 10, 32, generator: new Generator(9));
        model.Module.train();

        manual_seed(123);
        var y = layer.forward(x).detach();

        // [3, 10, 32] = W0 x + b + (alpha / r) B A dropout(x), the dropout mask drawn from the same seed
        manual_seed(123);
        var dropped = CounterDropout.Drop(x, 0.5);
        var expected = nn.functional.linear(x, layer.weight, layer.bias) + 2.0 * nn.functional.linear(nn.functional.linear(dropped, lora.A), lora.B);
        TensorAssert.Close(expected, y, 1e-5, "train-mode output");
        var noDropout = nn.functional.linear(x, layer.weight, layer.bias) + 2.0 * nn.functional.linear(nn.functional.linear(x, lora.A), lora.B);
        Assert.True((noDropout - y).abs().max().item<float>() > 1e-3, "dropout must change the adapter path in train mode");

        model.Module.eval();
        TensorAssert.Close(noDropout, layer.forward(x).detach(), 1e-5, "eval-mode output (no dropout)");
    }

    [Fact]
    public void Dora_in_train_mode_with_dropout_recomputes_the_base_term_on_the_dropped_input()
    {
        using var model = Reference.Base("tiny-bert");
        var peft = new PeftModel(model);
        peft.AddAdapter("a", LoraOptionsTests.Lora("query") with { UseDora = true, LoraDropout = 0.5 }, new Generator(12));
        var layer = model.LinearLayers().Single(l => l.Name == LoraOptionsTests.Query0).Layer;
        var lora = (LoraAdapter)layer.Adapters["a"];
        using (no_grad())
            lora.Magnitude!.mul_(1 + 0.3 * randn(32, generator: new Generator(13)));
        var x = randn(3, 10, 32, generator: new Generator(14));
        model.Module.train();

        manual_seed(321);
        var y = layer.forward(x).detach();

        // PEFT: x' = dropout(x); scale = m / |W0 + s B A|_row;
        // y = W0 x + b + (scale - 1) W0 x' + scale s B A x'
        manual_seed(321);
        var dropped = CounterDropout.Drop(x, 0.5);
        var w = layer.weight + 2.0 * lora.B.matmul(lora.A);
        var scale = lora.Magnitude / w.pow(2).sum(1).sqrt();
        var expected = nn.functional.linear(x, layer.weight, layer.bias)
            + (scale - 1) * nn.functional.linear(dropped, layer.weight)
            + scale * 2.0 * nn.functional.linear(nn.functional.linear(dropped, lora.A), lora.B);
        TensorAssert.Close(expected, y, 1e-5, "DoRA train-mode output");

        model.Module.eval();
        var evalExpected = nn.functional.linear(x, w * scale.unsqueeze(1), layer.bias);
        TensorAssert.Close(evalExpected, layer.forward(x).detach(), 1e-5, "DoRA eval-mode output");
    }
}
