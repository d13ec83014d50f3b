using System.Text;
using System.Text.RegularExpressions;
using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Gating;
using PeftOps.Evaluation.Reporting;
using PeftOps.Evaluation.Tests.Support;
using Snapshooter.Xunit;

namespace PeftOps.Evaluation.Tests;

/// <summary>The report of a decoder adapter: suite statistics, flipped answers side by side, and text from answers kept inert.</summary>
public sealed partial class DecoderReportTests
{
    private static readonly GatePolicy Policy = new()
    {
        BootstrapResamples = 1000,
        Target = [new GateRule { Metric = "policy-answers.pass_rate", Min = 0.8, MinDelta = 0.0 }],
        NonTarget = [new GateRule { Metric = "general-knowledge.acc_norm", MaxDrop = 0.02 }],
    };

    private static string Render() =>
        ReportRenderer.Render(Gate.Evaluate(Policy, DecoderReports.Adapter, DecoderReports.Build(), baseline: null), []);

    [Fact]
    public void Report_of_a_decoder_adapter_with_generation_and_multiple_choice_suites()
    {
        var markdown = Render();

        Assert.Contains("#### Multiple-choice and generation suites", markdown, StringComparison.Ordinal);
        Assert.Contains("<details><summary>Pass → fail in policy\\-answers (2)</summary>", markdown, StringComparison.Ordinal);
        Snapshot.Match(markdown);
    }

    [Fact]
    public void Answers_cannot_break_a_table_a_fence_or_the_page()
    {
        var markdown = Render();

        // every table row has exactly as many cell separators as its header: no pipe from an answer survives unescaped
        foreach (var table in markdown.Split("\n\n").Where(b => b.StartsWith('|')))
        {
            var rows = table.Split('\n');
            var columns = CellSeparator().Matches(rows[0]).Count;
            Assert.All(rows, row => Assert.Equal(columns, CellSeparator().Matches(row).Count));
        }
        Assert.DoesNotContain("```", markdown, StringComparison.Ordinal); // no chart here, so no fence at all
        Assert.DoesNotContain("<script", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("</details><", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("@octocat", markdown, StringComparison.Ordinal); // @\u200Boctocat: no mention
        Assert.True(markdown.Contains("Refunds \\| take \\`5\\` days<br>\\`\\`\\`<br>&lt;/details&gt;&lt;script&gt;", StringComparison.Ordinal), markdown);
        _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(markdown); // no lone surrogate anywhere
        Assert.Contains(new string('x', 273) + "…", markdown, StringComparison.Ordinal); // cut before the emoji, not inside it
    }

    [Theory]
    [InlineData("ab😀cd", 3, "ab…")]      // the cut falls inside the emoji's surrogate pair: the pair goes whole
    [InlineData("ab😀cd", 4, "ab😀…")]
    [InlineData("a|b\nc", 10, "a\\|b<br>c")]
    [InlineData("a\r\nb", 10, "a<br>b")]
    public void Escaping_with_line_breaks_cuts_between_characters(string text, int maxLength, string expected)
    {
        Assert.Equal(expected, MarkdownText.Escape(text, maxLength, lineBreaks: true));
    }

    [Fact]
    public void Stored_text_is_cut_between_characters()
    {
        Assert.Equal("ab", SafeText.Truncate("ab😀", 3));
        Assert.Equal("ab😀", SafeText.Truncate("ab😀", 4));
        Assert.Equal("abc", SafeText.Truncate("abc", 10));
    }

    // a | that is not escaped as \|
    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex CellSeparator();
}
