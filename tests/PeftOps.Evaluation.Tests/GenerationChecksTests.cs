using PeftOps.Contracts;
using PeftOps.Evaluation.Metrics;

namespace PeftOps.Evaluation.Tests;

/// <summary>Each requirement kind of a generation row, the pass rule, and bad requirements refused with the row's place.</summary>
public sealed class GenerationChecksTests
{
    private static GenerationChecks Checks(
        string? reference = null, string[]? contains = null, string[]? notContains = null, string[]? regex = null,
        string[]? notRegex = null, bool json = false, string? schema = null) =>
        GenerationChecks.Create("eval/answers.jsonl:3", reference, contains ?? [], notContains ?? [], regex ?? [], notRegex ?? [], json, schema);

    [Fact]
    public void Every_requirement_must_hold_to_pass_and_each_is_scored()
    {
        var checks = Checks(contains: ["5 business days", "refund"], notContains: ["lifetime warranty"], regex: [@"^\w"], notRegex: [@"\d{4}-\d{4}"]);

        var (good, pass) = checks.Score("refund within 5 business days");
        var (bad, fail) = checks.Score("refund within 5 business days, and a lifetime warranty");

        Assert.True(pass);
        Assert.Equal(new Dictionary<string, double> { ["contains"] = 1, ["not_contains"] = 1, ["regex"] = 1, ["not_regex"] = 1 }, good);
        Assert.False(fail);
        Assert.Equal(0, bad["not_contains"]);
        Assert.Equal(1, bad["contains"]);
    }

    [Fact]
    public void A_reference_is_scored_but_never_fails_a_row()
    {
        var (scores, pass) = Checks(reference: "blue .").Score("green .");

        Assert.True(pass);
        Assert.Equal(0, scores[MetricNames.ExactMatch]);
        Assert.Equal(TextMetrics.ChrF("green .", "blue ."), scores[MetricNames.ChrF]);
        Assert.Equal(3, scores.Count);
    }

    [Theory]
    [InlineData(" {\"status\": \"shipped\", \"days\": 3}\n", true, true)]
    [InlineData("{\"status\": \"shipped\", \"days\": \"3\"}", true, false)]
    [InlineData("{\"days\": 3}", true, false)]
    [InlineData("status: shipped", false, false)]
    [InlineData("{\"status\": \"a\", \"status\": \"b\"}", false, false)] // a key twice is not JSON this project reads
    public void Json_and_json_schema_check_the_trimmed_answer(string answer, bool parses, bool valid)
    {
        var checks = Checks(schema: """{"type": "object", "properties": {"days": {"type": "integer"}}, "required": ["status"]}""");

        var (scores, pass) = checks.Score(answer);

        Assert.Equal(parses ? 1 : 0, scores["json"]);
        Assert.Equal(valid ? 1 : 0, scores["json_schema"]);
        Assert.Equal(valid, pass);
    }

    [Theory]
    [InlineData("regex", "eval/answers.jsonl:3: regex[0] is not a valid .NET regular expression")]
    [InlineData("not_regex", "eval/answers.jsonl:3: not_regex[0] is not a valid .NET regular expression")]
    public void A_bad_pattern_is_refused_with_the_row(string key, string expected)
    {
        var error = Assert.Throws<InputException>(() => key == "regex" ? Checks(regex: ["(unclosed"]) : Checks(notRegex: ["(unclosed"]));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.EndsWith("(was (unclosed)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type": "nonsense"}""")]
    [InlineData("""{"$ref": "https://example.com/order.schema.json"}""")] // evaluation never fetches
    public void A_schema_that_cannot_be_applied_is_refused_with_the_row(string schema)
    {
        var error = Assert.Throws<InputException>(() => Checks(schema: schema));

        Assert.StartsWith("eval/answers.jsonl:3: json_schema is not a JSON Schema this evaluator can apply (", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_that_asks_nothing_is_empty()
    {
        Assert.True(Checks().IsEmpty);
        Assert.False(Checks(json: true).IsEmpty);
    }
}
