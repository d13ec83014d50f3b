using PeftOps.Cli.Commands;
using PeftOps.Configuration;
using PeftOps.TestSupport;

namespace PeftOps.Cli.Tests;

/// <summary>
/// A candidate's address covers every file training reads: a change to the scope's out-of-scope messages is a new
/// candidate, never a reviewed one reused for data it was not trained on.
/// </summary>
public sealed class CandidateInputsOfTests
{
    [Fact]
    public void The_out_of_scope_messages_are_inputs_of_the_address_named_as_eval_json_names_them()
    {
        using var adapter = new TinyAdapter("scope: {out_of_scope: {data: data/out_of_scope.jsonl, validation: data/oos_validation.jsonl}}");
        File.WriteAllLines(adapter.Combine("data", "out_of_scope.jsonl"), ["{\"text\": \"i like it\"}", "{\"text\": \"see it\"}"]);
        File.WriteAllLines(adapter.Combine("data", "oos_validation.jsonl"), ["{\"text\": \"want the paint\"}"]);

        var before = CandidateInputsOf.Checkout(AdapterSpecLoader.Load(adapter.Directory));
        File.AppendAllLines(adapter.Combine("data", "out_of_scope.jsonl"), ["{\"text\": \"it is my\"}"]);
        var after = CandidateInputsOf.Checkout(AdapterSpecLoader.Load(adapter.Directory));

        Assert.Equal(
            [("train", "train"), ("validation", "validation"), ("train", SpecDataFiles.OutOfScope), ("validation", SpecDataFiles.OutOfScopeValidation)],
            before.Data.Take(4).Select(d => (d.Role, d.Name)));
        Assert.NotEqual(before.Address, after.Address);
        Assert.Contains(SpecDataFiles.OutOfScope, after.FirstDifference(before), StringComparison.Ordinal);
    }
}
