using PeftOps.Contracts;

namespace PeftOps.Configuration.Tests;

public sealed partial class AdapterSpecLoaderTests
{
    private const string WithScope = """
        name: x
        data: {train: data/train.jsonl, validation: data/validation.jsonl}
        scope:
          out_of_scope: {data: data/oos.jsonl, validation: data/oos_validation.jsonl, method: oos-class, target_in_scope_recall: 0.97}
        """;

    private static AdapterFolder ScopeFolder() => new("x", "data/train.jsonl", "data/validation.jsonl", "data/oos.jsonl", "data/oos_validation.jsonl");

    [Fact]
    public void A_scope_section_loads_into_the_spec_with_defaults()
    {
        using var folder = ScopeFolder();

        var spec = folder.Parse(WithScope);
        var defaults = folder.Parse(WithScope.Replace(", method: oos-class, target_in_scope_recall: 0.97", "", StringComparison.Ordinal));

        Assert.Equal(new OutOfScopeSpec { Data = "data/oos.jsonl", Validation = "data/oos_validation.jsonl", Method = ScopeMethod.OosClass, TargetInScopeRecall = 0.97 },
            spec.Scope!.OutOfScope);
        Assert.Empty(spec.Scope.InScopeLabels);
        Assert.Equal((ScopeMethod.OosClass, 0.95), (defaults.Scope!.OutOfScope!.Method, defaults.Scope.OutOfScope.TargetInScopeRecall));
        Assert.Null(folder.Parse("name: x\ndata: {train: data/train.jsonl}").Scope);
        Assert.Equal("softmax", SpecText.Flatten(folder.Parse(WithScope, "scope.out_of_scope.method=softmax", "scope.out_of_scope.data=null"))["scope.out_of_scope.method"]);
    }

    [Theory]
    [InlineData("method: oos-class", "method: nearest", 4,
        "scope.out_of_scope.method must be one of: oos-class, softmax (was nearest)")]
    [InlineData("target_in_scope_recall: 0.97", "target_in_scope_recall: 1.2", 4,
        "scope.out_of_scope.target_in_scope_recall must be > 0 and < 1 (was 1.2)")]
    [InlineData("data: data/oos.jsonl", "data: data/missing.jsonl", 4,
        "scope.out_of_scope.data must be an existing file, relative to the adapter folder (was data/missing.jsonl; {dir}/data/missing.jsonl does not exist)")]
    [InlineData("method: oos-class", "method: softmax", 4,
        "scope.out_of_scope.data is trained only by method oos-class (was method softmax and data data/oos.jsonl)")]
    [InlineData("data: data/oos.jsonl, ", "", 4,
        "scope.out_of_scope.method oos-class needs out-of-scope training messages: scope.out_of_scope.data, or scope.in_scope_labels leaving some training labels out (was neither)")]
    [InlineData(", validation: data/validation.jsonl}", "}", 4,
        "scope.out_of_scope needs data.validation to calibrate its threshold on in-scope messages (was not set)")]
    [InlineData("scope:\n", "scope:\n  in_scope_labels: [a, out_of_scope]\n", 4,
        "scope.in_scope_labels must not name out_of_scope, the out-of-scope class (was a, out_of_scope)")]
    [InlineData("method: oos-class", "method: oos-class, threshold: 0.5", 4,
        "unknown key 'scope.out_of_scope.threshold' (expected one of: data, validation, method, score, target_in_scope_recall, head_only)")]
    [InlineData("{data: data/oos.jsonl, validation: data/oos_validation.jsonl, method: oos-class", "{validation: data/oos_validation.jsonl, method: softmax, head_only: true", 4,
        "scope.out_of_scope.head_only applies to method oos-class, which trains out-of-scope messages (was method softmax)")]
    [InlineData("method: oos-class", "method: oos-class, head_only: maybe", 4,
        "scope.out_of_scope.head_only must be true or false (was maybe)")]
    public void A_bad_scope_is_an_error_naming_file_line_and_key(string from, string to, int line, string expected)
    {
        using var folder = ScopeFolder();

        var message = folder.Errors(WithScope.Replace(from, to, StringComparison.Ordinal));

        Assert.Equal($"adapters/x/adapter.yaml:{line}: {expected.Replace("{dir}", folder.Directory, StringComparison.Ordinal)}", message);
    }

    [Fact]
    public void Scope_applies_only_to_classifiers()
    {
        using var folder = ScopeFolder();

        var message = folder.Errors(WithScope.Replace("name: x\n", "name: x\ntask: {type: causal-lm}\n", StringComparison.Ordinal));

        Assert.Contains("adapters/x/adapter.yaml:5: scope applies only to task.type sequence-classification (was causal-lm)", message, StringComparison.Ordinal);
    }
}
