using PeftOps.Evaluation.Reporting;

namespace PeftOps.Evaluation.Tests;

public class MarkdownTextTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;/script&gt;")]
    [InlineData("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert\\(1\\)&gt;")]
    [InlineData("a | b", "a \\| b")]
    [InlineData("line1\nline2\r\nline3", "line1 line2  line3")]
    [InlineData("`code` and ```fence```", "\\`code\\` and \\`\\`\\`fence\\`\\`\\`")]
    [InlineData("*bold* _it_ ~~gone~~", "\\*bold\\* \\_it\\_ \\~\\~gone\\~\\~")]
    [InlineData("[click](http://evil.example)", "\\[click\\]\\(http\\://evil\\.example\\)")]
    [InlineData("# heading", "\\# heading")]
    [InlineData("Tom & \"Jerry\" 'x'", "Tom &amp; &quot;Jerry&quot; &#39;x&#39;")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("<!-- peftops:report adapter=x -->", "&lt;\\!\\-\\- peftops\\:report adapter=x \\-\\-&gt;")]
    [InlineData("plain words 42", "plain words 42")]
    public void Hostile_text_is_made_inert(string text, string expected) => Assert.Equal(expected, MarkdownText.Escape(text));

    [Fact]
    public void Mentions_are_broken_with_a_zero_width_space()
    {
        Assert.Equal("@\u200Bsupport hi", MarkdownText.Escape("@support hi"));
    }

    [Fact]
    public void Control_characters_become_spaces_and_null_is_empty()
    {
        Assert.Equal("a b", MarkdownText.Escape("a\u0007b"));
        Assert.Equal("", MarkdownText.Escape(null));
    }

    [Fact]
    public void Long_text_is_cut_before_escaping()
    {
        Assert.Equal("abc…", MarkdownText.Escape("abcdef", maxLength: 3));
        Assert.Equal("a\\|…", MarkdownText.Escape("a|bcd", maxLength: 2));
    }

    [Fact]
    public void Code_spans_escape_pipes_and_fall_back_to_plain_text_for_backticks()
    {
        Assert.Equal("`method.r`", MarkdownText.Code("method.r"));
        Assert.Equal("`a\\|b`", MarkdownText.Code("a|b"));
        Assert.Equal("x\\`\\` &lt;b&gt;", MarkdownText.Code("x`` <b>"));
        Assert.Equal("a b", MarkdownText.Code("a\nb"));
    }
}
