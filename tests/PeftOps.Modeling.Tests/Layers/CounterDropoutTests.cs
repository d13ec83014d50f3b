using PeftOps.Modeling.Layers;
using static TorchSharp.torch;

namespace PeftOps.Modeling.Tests.Layers;

/// <summary><see cref="CounterDropout"/> is torch's inverted dropout: its rate, its scale, its gradient, its seeding.</summary>
[Collection(GlobalRngCollection.Name)]
public sealed class CounterDropoutTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    public void Keeps_one_minus_p_of_a_million_elements_and_scales_them_by_one_over_one_minus_p(double p)
    {
        const int N = 1_000_003;
        using var dropout = new CounterDropout(p);
        dropout.train();
        manual_seed(1);

        using var y = dropout.forward(ones(N));

        var kept = y.ne(0).sum().item<long>() / (double)N;
        var fiveSigma = 5 * Math.Sqrt(p * (1 - p) / N);
        Assert.InRange(kept, 1 - p - fiveSigma, 1 - p + fiveSigma);
        Assert.Equal([0f, (float)(1 / (1 - p))], y.unique().Item1.data<float>().ToArray());
    }

    [Fact]
    public void The_same_seed_drops_the_same_elements_another_seed_others_and_evaluation_drops_none()
    {
        using var dropout = new CounterDropout(0.3);
        using var x = randn(64, 300);
        Tensor Run(int seed)
        {
            manual_seed(seed);
            return dropout.forward(x);
        }

        dropout.train();
        using var first = Run(5);
        using var again = Run(5);
        using var other = Run(6);
        dropout.eval();
        using var evaluated = dropout.forward(x);

        Assert.True(first.equal(again).all().item<bool>());
        Assert.False(first.equal(other).all().item<bool>());
        Assert.True(evaluated.equal(x).all().item<bool>());
    }

    [Fact]
    public void The_backward_multiplies_the_gradient_by_the_forward_mask_and_scale()
    {
        using var dropout = new CounterDropout(0.25);
        dropout.train();
        manual_seed(3);
        using var x = (randn(8, 1000) + 5).requires_grad_(); // no zero input, so y != 0 is the mask
        using var w = randn(8, 1000);

        using var y = dropout.forward(x);
        (y * w).sum().backward();

        using var expected = where(y.ne(0), w * (1 / 0.75f), zeros_like(w));
        Assert.True(x.grad!.equal(expected).all().item<bool>());
    }

    [Theory]
    [InlineData(1001)]            // the scalar tail after the vector loop
    [InlineData(2 * 65536 + 13)]  // more than one parallel task
    public void Every_element_follows_the_counter_rule_whatever_task_or_lane_draws_it(int n)
    {
        var mask = new CounterDropout.Mask(0.2, Seed: 0xC0FFEE);
        using var source = arange(1, n + 1, dtype: ScalarType.Float32);

        using var dropped = mask.Apply(source);

        var values = dropped.data<float>().ToArray();
        var expected = Enumerable.Range(0, n).Select(i => mask.Keeps(i) ? (i + 1) * (float)(1 / 0.8) : 0f).ToArray();
        Assert.Equal(expected, values);
    }

    [Fact]
    public void A_strided_input_drops_as_its_contiguous_copy_does()
    {
        var mask = new CounterDropout.Mask(0.5, Seed: 11);
        using var x = randn(40, 70);
        using var strided = x.t();

        using var fromView = mask.Apply(strided);
        using var fromCopy = mask.Apply(strided.contiguous());

        Assert.Equal(strided.shape, fromView.shape);
        Assert.True(fromView.equal(fromCopy).all().item<bool>());
    }
    [Theory]
    [InlineData(6, 48)]
    [InlineData(7, 45)] // odd rows: some start on the high half of a pair
    public void Rows_kept_from_a_larger_tensor_drop_as_they_would_there(int tokens, int width)
    {
        var mask = new CounterDropout.Mask(0.4, Seed: 99);
        using var x = randn(5, tokens, width);
        using var whole = mask.Apply(x);

        foreach (var position in new[] { 0, 2 })
        {
            // a row slice of the tensor takes its places in it
            using var view = x.narrow(1, position, 1);
            var fromView = (mask with { Layout = CounterDropout.DrawLayout.Of(view, null) }).Apply(view);
            Assert.True(fromView.equal(whole.narrow(1, position, 1)).all().item<bool>(), $"view of position {position}");
        }
        // rows computed apart, told the whole tensor's strides
        using var rows = x.narrow(1, 0, 1).contiguous();
        var fromRows = (mask with { Layout = CounterDropout.DrawLayout.Of(rows, [tokens * width, width, 1]) }).Apply(rows);
        Assert.True(fromRows.equal(whole.narrow(1, 0, 1)).all().item<bool>(), "rows with strides");
        Assert.Throws<ArgumentException>(() => CounterDropout.DrawLayout.Of(rows, [width, 1]));
    }
}
