using System.Text.Json;
using PeftOps.TestSupport;
using YamlDotNet.RepresentationModel;

namespace PeftOps.GitHub.Tests.Actions;

/// <summary>
/// The harness's expression evaluator against GitHub's documented semantics
/// (docs.github.com/actions/reference/workflows-and-actions/expressions): literals, operator precedence, loose
/// equality, case-insensitive strings, contexts and the object filter, the functions, and what GitHub refuses.
/// </summary>
public sealed class ActionsExpressionTests
{
    private static readonly IReadOnlyDictionary<string, object?> Contexts = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
    {
        ["github"] = Json("""
            {"event_name": "push", "ref": "refs/heads/main",
             "event": {"pull_request": {"number": 7, "labels": [{"name": "bug"}, {"name": "Compare-Methods"}, {"id": 3}]},
                       "issue": {"labels": [{"name": "bug"}, {"name": "help wanted"}]}}}
            """),
        ["needs"] = Json("""{"changed": {"result": "success", "outputs": {"adapters": "[\"a\", \"b\"]"}}}"""),
        ["steps"] = Json("""{"my-step": {"outputs": {"n": "3"}}}"""),
        ["env"] = Json("""{"always": "set", "EMPTY": ""}"""),
        ["foo"] = Json("""{"bar": true}"""),
    };

    private static object? Json(string json) => ActionsExpression.FromJson(JsonDocument.Parse(json).RootElement);

    private static object? Eval(string expression) => ActionsExpression.Evaluate(expression, Contexts);

    [Theory]
    [InlineData("true", true)]
    [InlineData("null", null)]
    [InlineData("711", 711.0)]
    [InlineData("-9.2", -9.2)]
    [InlineData("0xff", 255.0)]
    [InlineData("-2.99e-2", -0.0299)]
    [InlineData("-.5", -0.5)]
    [InlineData("'Mona the Octocat'", "Mona the Octocat")]
    [InlineData("'It''s open source!'", "It's open source!")]
    public void Literals_are_the_documented_ones(string expression, object? expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("!2 < 3", true)]                          // (!2) < 3: false < 3
    [InlineData("!(2 < 3)", false)]
    [InlineData("1 < 2 == true", true)]                   // (1 < 2) == true, not 1 < (2 == true)
    [InlineData("true || false && false", true)]          // && before ||
    [InlineData("false && true || true", true)]
    [InlineData("1 == 1 && 2 == 2", true)]                // == before &&
    [InlineData("!foo.bar", false)]                       // . before !
    [InlineData("(!foo).bar", null)]
    [InlineData("3 > github.event.pull_request.labels[2].id", false)]
    public void Operators_bind_by_GitHubs_precedence(string expression, object? expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("'' || 'fallback'", "fallback")]
    [InlineData("'x' && 'y'", "y")]
    [InlineData("0 && 'y'", 0.0)]
    [InlineData("null || false", false)]
    [InlineData("false && fromJSON('not json')", false)]  // the right side is not evaluated
    [InlineData("true || fromJSON('not json')", true)]
    public void And_and_or_return_the_operand_that_decided(string expression, object? expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("null == 0", true)]
    [InlineData("true == 1", true)]
    [InlineData("false == 0", true)]
    [InlineData("'' == 0", true)]
    [InlineData("null == ''", true)]
    [InlineData("' 42 ' == 42", true)]
    [InlineData("'0xff' == 255", true)]
    [InlineData("'1' == true", true)]
    [InlineData("'true' == true", false)]                 // 'true' is NaN as a number
    [InlineData("'abc' == 0", false)]
    [InlineData("'abc' != 0", true)]
    [InlineData("NaN == NaN", false)]
    [InlineData("'Release' == 'release'", true)]
    [InlineData("'a' != 'A'", false)]
    [InlineData("github.event == github.event", true)]   // an object equals itself only
    [InlineData("fromJSON('[]') == fromJSON('[]')", false)]
    [InlineData("fromJSON('{}') == 0", false)]
    public void Equality_is_loose_and_ignores_the_case_of_strings(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("'abc' < 'DEF'", true)]
    [InlineData("'b' < 'A'", false)]
    [InlineData("'10' > '9'", false)]                     // two strings compare as strings
    [InlineData("10 > '9'", true)]                        // mixed kinds as numbers
    [InlineData("false < true", true)]
    [InlineData("null <= null", true)]
    [InlineData("NaN < 1", false)]
    [InlineData("NaN >= 1", false)]
    [InlineData("fromJSON('[]') < 1", false)]
    [InlineData("fromJSON('[]') >= fromJSON('[]')", false)]
    public void Comparisons_follow_the_same_coercion(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("!!0", false)]
    [InlineData("!!-0", false)]
    [InlineData("!!''", false)]
    [InlineData("!!null", false)]
    [InlineData("!!NaN", false)]
    [InlineData("!!.5", true)]
    [InlineData("!!'0'", true)]
    [InlineData("!!'false'", true)]
    [InlineData("!!fromJSON('[]')", true)]
    [InlineData("!!fromJSON('{}')", true)]
    public void Falsy_values_are_false_zero_empty_null_and_NaN(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("github.event_name", "push")]
    [InlineData("GITHUB.EVENT_NAME", "push")]
    [InlineData("github['event_name']", "push")]
    [InlineData("github.event.pull_request.number", 7.0)]
    [InlineData("github.event.missing.deeper", null)]
    [InlineData("github.event.pull_request.labels[1].name", "Compare-Methods")]
    [InlineData("github.event.pull_request.labels[9]", null)]
    [InlineData("github.event.pull_request.labels.name", null)]   // a plain array has no properties
    [InlineData("steps.my-step.outputs.n", "3")]
    [InlineData("fromJSON(needs.changed.outputs.adapters)[0]", "a")]
    [InlineData("fromJSON('{\"A\": 1}').a", 1.0)]
    public void Contexts_and_properties_ignore_case_and_missing_ones_are_null(string expression, object? expected) => Assert.Equal(expected, Eval(expression));

    [Fact]
    public void A_stand_in_payload_built_in_CSharp_reads_as_numbers_and_arrays()
    {
        var contexts = new Dictionary<string, object?>
        {
            ["github"] = new Dictionary<string, object?> { ["event"] = new Dictionary<string, object?> { ["number"] = 7, ["labels"] = new object?[] { new Dictionary<string, object?> { ["name"] = "bug" } } } },
        };

        Assert.Equal("pr-7", ActionsExpression.Interpolate("pr-${{ github.event.number }}", contexts));
        Assert.Equal(true, ActionsExpression.Evaluate("github.event.number == 7 && contains(github.event.labels.*.name, 'BUG')", contexts));
    }

    [Fact]
    public void The_object_filter_takes_each_items_property_where_it_has_one()
    {
        Assert.Equal(new object?[] { "bug", "Compare-Methods" }, (List<object?>)Eval("github.event.pull_request.labels.*.name")!);
        Assert.Equal(new object?[] { "bug", "Compare-Methods" }, (List<object?>)Eval("github.event.pull_request.labels[*].name")!);
        Assert.Equal(new object?[] { 1.0, 2.0 }, (List<object?>)Eval("fromJSON('{\"x\": {\"b\": 1}, \"y\": {\"b\": 2}}').*.b")!);
    }

    [Theory]
    [InlineData("contains('Hello world', 'WORLD')", true)]
    [InlineData("contains('Hello world', 'planet')", false)]
    [InlineData("contains(github.event.pull_request.labels.*.name, 'compare-methods')", true)]
    [InlineData("contains(github.event.pull_request.labels.*.name, 'Compare')", false)]      // an item, not a substring of one
    [InlineData("contains(fromJSON('[1, 2]'), '2')", true)]                                  // items compare loosely
    [InlineData("contains(fromJSON('[\"push\", \"pull_request\"]'), github.event_name)", true)]
    [InlineData("contains(null, 'x')", false)]
    [InlineData("startsWith('Hello world', 'he')", true)]
    [InlineData("startsWith(12, 1)", true)]                                                  // cast to strings
    [InlineData("endsWith('Hello world', 'LD')", true)]
    [InlineData("endsWith('Hello world', 'Hello')", false)]
    [InlineData("CONTAINS('abc', 'B')", true)]                                               // function names ignore case
    public void Contains_startsWith_and_endsWith_ignore_case(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("format('Hello {0} {1} {2}', 'Mona', 'the', 'Octocat')", "Hello Mona the Octocat")]
    [InlineData("format('{{Hello {0} {1} {2}!}}', 'Mona', 'the', 'Octocat')", "{Hello Mona the Octocat!}")]
    [InlineData("format('{0}{0}-{1}', 'a', 2)", "aa-2")]
    [InlineData("format('{0}|{1}|{2}', true, null, 1.5)", "true||1.5")]
    [InlineData("join(github.event.issue.labels.*.name, ', ')", "bug, help wanted")]
    [InlineData("join(fromJSON('[\"a\", \"b\"]'))", "a,b")]
    [InlineData("join(fromJSON('[1, true, null]'), '-')", "1-true-")]
    [InlineData("join('abc')", "abc")]
    [InlineData("toJSON('it''s')", "\"it's\"")]
    [InlineData("toJSON(null)", "null")]
    [InlineData("toJSON(fromJSON('{\"a\": [1, \"x\"]}'))", "{\n  \"a\": [\n    1,\n    \"x\"\n  ]\n}")]
    [InlineData("toJSON(github.event.pull_request.labels.*.name)", "[\n  \"bug\",\n  \"Compare-Methods\"\n]")]
    [InlineData("fromJSON('true')", true)]
    [InlineData("fromJSON('1.5')", 1.5)]
    [InlineData("fromjson('\"x\"')", "x")]
    public void Format_join_toJSON_and_fromJSON_do_what_GitHub_documents(string expression, object? expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("a ${{ format('{{0}}') }} b", "a {0} b")]              // '}}' inside a string does not end the expression
    [InlineData("${{ 'x' }}${{ 1 }}-${{ null }}-${{ true }}", "x1--true")]
    [InlineData("registry-${{ github.event_name }}", "registry-push")]
    [InlineData("no expression", "no expression")]
    public void Interpolation_replaces_each_expression_with_its_text(string text, string expected) =>
        Assert.Equal(expected, ActionsExpression.Interpolate(text, Contexts));

    [Theory]
    [InlineData("\"double\"")]                                // strings are single-quoted
    [InlineData("github.event_name = 'push'")]                // = is not ==
    [InlineData("github.event_name == ")]
    [InlineData("'unterminated")]
    [InlineData("1abc")]
    [InlineData("github.event_name == 'push' extra")]
    [InlineData("nosuch('x')")]                               // unknown function
    [InlineData("contains('a')")]                             // too few arguments
    [InlineData("toJSON(1, 2)")]                              // too many
    [InlineData("false && contains('a')")]                    // refused when parsed, before any short-circuit
    [InlineData("success()")]                                 // status functions are for if: only
    [InlineData("format('{1}', 'a')")]
    [InlineData("format('{', 'a')")]
    [InlineData("fromJSON('{')")]
    public void What_GitHub_refuses_is_a_format_error(string expression) =>
        Assert.Throws<FormatException>(() => Eval(expression));

    [Theory]
    [InlineData("hashFiles('**/*.csproj')")]                 // no github.workspace: not in a job's steps
    [InlineData("format('{0}', github.event)")]               // GitHub does not cast an object to a string
    [InlineData("nosuchcontext.x")]
    public void What_the_harness_does_not_do_is_refused_not_guessed(string expression) =>
        Assert.Throws<NotSupportedException>(() => Eval(expression));

    [Fact]
    public void HashFiles_hashes_the_matched_files_of_the_workspace_and_changes_only_with_them()
    {
        using var workspace = new TempDirectory();
        Directory.CreateDirectory(workspace.Combine("src", "a"));
        File.WriteAllText(workspace.Combine("src", "a", "One.cs"), "class One {}");
        File.WriteAllText(workspace.Combine("src", "Two.cs"), "class Two {}");
        File.WriteAllText(workspace.Combine("README.md"), "# readme");
        var contexts = new Dictionary<string, object?>(Contexts, StringComparer.OrdinalIgnoreCase)
        {
            ["github"] = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["workspace"] = workspace.Path },
        };
        string Hash(string expression) => (string)ActionsExpression.Evaluate(expression, contexts)!;

        var sources = Hash("hashFiles('src/**/*.cs')");
        Assert.Matches("^[0-9a-f]{64}$", sources);
        Assert.Equal("", Hash("hashFiles('**/*.py')"));                        // nothing matched
        File.WriteAllText(workspace.Combine("README.md"), "# changed");
        Assert.Equal(sources, Hash("hashFiles('src/**/*.cs')"));               // an unmatched file changed
        Assert.NotEqual(sources, Hash("hashFiles('src/**/*.cs', 'README.md')"));
        File.WriteAllText(workspace.Combine("src", "Two.cs"), "class Two { }");
        Assert.NotEqual(sources, Hash("hashFiles('src/**/*.cs')"));            // a matched file changed
    }

    public static TheoryData<string> Workflows() =>
        [.. Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, ".github", "workflows"), "*.yml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Every expression of the workflows parses, each <c>if:</c> with its status functions, so a workflow never reaches
    /// the journey test with an expression the harness would misread. What an action's <c>with:</c> holds is the action's
    /// (the harness runs no action, so <c>hashFiles</c> in a cache key is left to GitHub).
    /// </summary>
    [Theory]
    [MemberData(nameof(Workflows))]
    public void Every_expression_of_a_workflow_parses(string workflow)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, ".github", "workflows", workflow))));
        var parsed = 0;
        foreach (var (key, text, inAction) in Scalars(stream.Documents[0].RootNode, "", false))
        {
            if (key == "if")
            {
                ExpressionParser.Parse(text.StartsWith("${{", StringComparison.Ordinal) ? text.Trim()[3..^2] : text, statusChecksAllowed: true);
                parsed++;
            }
            for (var open = text.IndexOf("${{", StringComparison.Ordinal); open >= 0 && !inAction; open = text.IndexOf("${{", open + 3, StringComparison.Ordinal))
            {
                ExpressionParser.ParseEmbedded(text, open + 3, statusChecksAllowed: key == "if");
                parsed++;
            }
        }
        Assert.True(parsed > 0, $"{workflow} has no expression: was it read?");
    }

    private static IEnumerable<(string Key, string Text, bool InAction)> Scalars(YamlNode node, string key, bool inAction) => node switch
    {
        YamlScalarNode scalar => [(key, scalar.Value ?? "", inAction)],
        YamlSequenceNode list => list.Children.SelectMany(child => Scalars(child, key, inAction)),
        YamlMappingNode map => map.Children.SelectMany(pair => Scalars(pair.Value, ((YamlScalarNode)pair.Key).Value!,
            inAction || (((YamlScalarNode)pair.Key).Value == "with" && map.Children.ContainsKey(new YamlScalarNode("uses"))))),
        _ => [],
    };

    [Fact]
    public void An_unterminated_interpolation_and_a_status_function_in_one_are_refused()
    {
        Assert.Throws<FormatException>(() => ActionsExpression.Interpolate("${{ 1 ", Contexts));
        Assert.Throws<FormatException>(() => ActionsExpression.Interpolate("x ${{ always() }}", Contexts));
    }
}
