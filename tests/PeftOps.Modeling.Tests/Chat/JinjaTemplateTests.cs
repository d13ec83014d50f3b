using System.Text.Json;
using PeftOps.Contracts;
using PeftOps.Modeling.Chat;
using PeftOps.Modeling.Chat.Jinja;
using PeftOps.TestSupport;

namespace PeftOps.Modeling.Tests.Chat;

/// <summary>
/// The interpreter feature by feature: operators, filters, tests, loop variables, scoping, whitespace control, macros,
/// loop controls, literals; each expected output in interpreter-cases.json is what jinja2 renders with transformers'
/// settings (check_interpreter_cases.py checks them). Then what it refuses, and transformers' globals.
/// </summary>
public sealed class JinjaTemplateTests
{
    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Load().Count; i++)
            data.Add(i);
        return data;
    }

    private static List<(string Template, Dictionary<string, object?> Variables, string Expected)> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.TestData, "chat-templates", "interpreter-cases.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => (
            c.GetProperty("template").GetString()!,
            c.GetProperty("variables").EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone()),
            c.GetProperty("expected").GetString()!)).ToList();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Renders_as_jinja2_does(int index)
    {
        var (template, variables, expected) = Load()[index];
        Assert.Equal(expected, JinjaTemplate.Parse(template).Render(variables));
    }

    private static string Render(string template, Dictionary<string, object?>? variables = null) =>
        JinjaTemplate.Parse(template).Render(variables ?? []);

    [Theory]
    [InlineData("{{ x | wordwrap }}", "the filter 'wordwrap' is not supported", 1)]
    [InlineData("a\n{% if x is prime %}{% endif %}", "the test 'prime' is not supported", 2)]
    [InlineData("a\nb\n{% include 'other.jinja' %}", "the {% include %} tag is not supported", 3)]
    [InlineData("{% filter upper %}x{% endfilter %}", "the {% filter %} tag is not supported", 1)]
    [InlineData("{% frobnicate %}", "Encountered unknown tag 'frobnicate'", 1)]
    [InlineData("{% for x in y recursive %}{% endfor %}", "recursive for loops are not supported", 1)]
    [InlineData("{{ f(*args) }}", "*args and **kwargs in calls are not supported", 1)]
    public void A_feature_it_does_not_implement_is_refused_when_parsed_naming_it_and_its_line(string template, string message, int line)
    {
        var error = Assert.Throws<JinjaException>(() => JinjaTemplate.Parse(template));
        Assert.Equal(message, error.Message);
        Assert.Equal(line, error.Line);
        Assert.True(error.Unsupported);
    }

    [Theory]
    [InlineData("{{ 'x' % 1 }}", "printf-style string formatting ('...' % value) is not supported")]
    [InlineData("{{ 'x'.zfill(3) }}", "the str method 'zfill' is not supported")]
    [InlineData("{{ '{:>3}'.format(1) }}", "str.format field '{:>3}' (format specs and conversions) is not supported")]
    public void A_method_or_operator_it_does_not_implement_is_refused_when_used(string template, string message)
    {
        var error = Assert.Throws<JinjaException>(() => Render(template));
        Assert.Equal(message, error.Message);
        Assert.True(error.Unsupported);
    }

    [Theory]
    [InlineData("{{ missing.attribute }}", "'missing' is undefined")]
    [InlineData("{{ 1 + 'a' }}", "unsupported operand type(s) for +: 'int' and 'str'")]
    [InlineData("{% set x = [] %}{{ x.append(1) }}", "access to attribute 'append' of 'list' object is unsafe.")]
    [InlineData("{% for x in none %}{% endfor %}", "'NoneType' object is not iterable")]
    [InlineData("{{ 1 // 0 }}", "integer division or modulo by zero")]
    public void What_fails_in_jinja2_fails(string template, string message)
    {
        var error = Assert.Throws<JinjaException>(() => Render(template));
        Assert.Equal(message, error.Message);
        Assert.False(error.RaisedByTemplate);
    }

    [Fact]
    public void Raise_exception_fails_with_the_templates_message()
    {
        var error = Assert.Throws<JinjaException>(() => Render("ok\n{{ raise_exception('Roles must alternate') }}"));
        Assert.Equal("Roles must alternate", error.Message);
        Assert.Equal(2, error.Line);
        Assert.True(error.RaisedByTemplate);

        var chat = ChatTemplate.FromText("{{ raise_exception('No system role') }}", new Dictionary<string, object?>(), "config.json");
        var refusal = Assert.Throws<InputException>(() => chat.Render([new ChatMessage("system", "x")], false));
        Assert.Equal("config.json: the chat template refused the conversation (template line 1): No system role", refusal.Message);
    }

    [Fact]
    public void Strftime_now_formats_the_clock_as_python_does()
    {
        var template = JinjaTemplate.Parse("{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%A %B %j %H:%M:%S %p %y %m %%') }}");
        Assert.Equal("06 Dec 2026|Sunday December 340 14:05:09 PM 26 12 %", template.Render(new Dictionary<string, object?>(), () => new DateTime(2026, 12, 6, 14, 5, 9)));
    }

    [Fact]
    public void Generation_blocks_mark_the_spans_they_wrote()
    {
        // trim_blocks drops the newline after each tag, so the output is one line
        var template = JinjaTemplate.Parse("{% for m in messages %}<{{ m }}>{% generation %}{{ m | upper }}{% endgeneration %}\n{% endfor %}");
        var (text, spans) = template.RenderWithGenerationSpans(new Dictionary<string, object?> { ["messages"] = new List<object?> { "ab", "c" } });
        Assert.Equal("<ab>AB<c>C", text);
        Assert.Equal([(4, 6), (9, 10)], spans);
    }

    [Fact]
    public void Newlines_are_normalised_and_one_trailing_newline_dropped()
    {
        Assert.Equal("a\nb\nc", Render("a\r\nb\rc\n"));
        Assert.Equal("a\n", Render("a\n\n"));
    }
}
