using System.Text.Json;
using PeftOps.Modeling.Tokenization.Unicode;
using PeftOps.TestSupport;

namespace PeftOps.Modeling.Tests.Tokenization.Unicode;

public sealed class CanonicalNormalizerTests
{
    private static string GoldenPath => Path.Combine(TestPaths.RepoRoot, "tests", "PeftOps.Modeling.Tests", "Tokenization", "Unicode", "normalization_golden.jsonl");

    [Fact]
    public void Nfc_and_nfd_match_python_unicodedata_on_every_decomposable_character_and_random_mark_runs()
    {
        // made by make_normalization_golden.py: 795 texts covering every code point with a canonical
        // decomposition or a combining class, then runs of marks, jamo and starters that compose
        var mismatches = new List<string>();
        foreach (var line in File.ReadLines(GoldenPath))
        {
            using var golden = JsonDocument.Parse(line);
            var text = golden.RootElement.GetProperty("text").GetString()!;
            var nfc = CanonicalNormalizer.Nfc(text);
            var nfd = CanonicalNormalizer.Nfd(text);
            if (nfc != golden.RootElement.GetProperty("nfc").GetString())
                mismatches.Add($"NFC {Hex(text)} -> {Hex(nfc)}");
            if (nfd != golden.RootElement.GetProperty("nfd").GetString())
                mismatches.Add($"NFD {Hex(text)} -> {Hex(nfd)}");
        }

        Assert.Empty(mismatches);
    }

    [Fact]
    public void Nfkc_and_nfkd_match_python_unicodedata_on_every_character_with_a_compatibility_decomposition()
    {
        // made by make_compatibility_golden.py: every code point with a compatibility decomposition, six to a text,
        // then runs mixing them with combining marks
        var mismatches = new List<string>();
        foreach (var line in File.ReadLines(Path.Combine(Path.GetDirectoryName(GoldenPath)!, "compatibility_golden.jsonl")))
        {
            using var golden = JsonDocument.Parse(line);
            var text = golden.RootElement.GetProperty("text").GetString()!;
            var (nfkc, nfkd) = (CanonicalNormalizer.Nfkc(text), CanonicalNormalizer.Nfkd(text));
            if (nfkc != golden.RootElement.GetProperty("nfkc").GetString())
                mismatches.Add($"NFKC {Hex(text)} -> {Hex(nfkc)}");
            if (nfkd != golden.RootElement.GetProperty("nfkd").GetString())
                mismatches.Add($"NFKD {Hex(text)} -> {Hex(nfkd)}");
        }

        Assert.Empty(mismatches);
    }

    [Theory]
    [InlineData("cafe\u0301", "caf\u00e9")] // e + acute composes
    [InlineData("a\u0323\u0302", "\u1ead")] // dot below (220) then circumflex (230): both compose, in turn
    [InlineData("a\u0302\u0323", "\u1ead")] // the same marks the other way round reorder first
    [InlineData("a\u0301\u0301", "\u00e1\u0301")] // a second mark of the same class is blocked
    [InlineData("\u1100\u1161\u11a8", "\uac01")] // conjoining jamo L V T make one syllable
    [InlineData("\u212b", "\u00c5")] // a singleton (ANGSTROM SIGN) decomposes and never comes back
    [InlineData("plain ascii", "plain ascii")]
    public void Nfc_composes_what_the_standard_says(string text, string expected) =>
        Assert.Equal(expected, CanonicalNormalizer.Nfc(text));

    private static string Hex(string text) => string.Join(' ', text.EnumerateRunes().Select(r => r.Value.ToString("X4", System.Globalization.CultureInfo.InvariantCulture)));
}
