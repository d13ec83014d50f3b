using PeftOps.Contracts;

namespace PeftOps.Contracts.Tests;

public class FlatSpecTests
{
    private static readonly Dictionary<string, string> Before = new()
    {
        ["method.r"] = "8",
        ["name"] = "support-intents",
        ["training.early_stopping.metric"] = "macro_f1",
        ["training.early_stopping.patience"] = "2",
    };

    private static readonly Dictionary<string, string> After = new()
    {
        ["evaluation.non_target[off-topic].threshold"] = "0.5",
        ["method.r"] = "16",
        ["name"] = "support-intents",
        ["training.max_steps"] = "100",
    };

    [Fact]
    public void Diff_lists_changed_added_and_removed_keys_in_key_order()
    {
        var diff = FlatSpec.Diff(Before, After);

        Assert.False(diff.FirstVersion);
        Assert.Equal(
            [
                new SpecChange("evaluation.non_target[off-topic].threshold", null, "0.5"),
                new SpecChange("method.r", "8", "16"),
                new SpecChange("training.early_stopping.metric", "macro_f1", null),
                new SpecChange("training.early_stopping.patience", "2", null),
                new SpecChange("training.max_steps", null, "100"),
            ],
            diff.Changes);
        Assert.Empty(FlatSpec.Diff(Before, Before).Changes);
    }

    [Fact]
    public void Diff_without_a_before_is_a_first_version()
    {
        var diff = FlatSpec.Diff(null, After);

        Assert.True(diff.FirstVersion);
        Assert.Empty(diff.Changes);
    }

    [Fact]
    public void Sha256_does_not_depend_on_key_order()
    {
        var reversed = Before.Reverse().ToDictionary();

        Assert.Equal(FlatSpec.Sha256(Before), FlatSpec.Sha256(reversed));
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
                """{"method.r":"8","name":"support-intents","training.early_stopping.metric":"macro_f1","training.early_stopping.patience":"2"}"""))),
            FlatSpec.Sha256(Before));
        Assert.NotEqual(FlatSpec.Sha256(Before), FlatSpec.Sha256(After));
    }
}
