using System.Globalization;
using PeftOps.Evaluation.Statistics;

namespace PeftOps.Evaluation.Gating;

/// <summary>Culture-invariant number formatting shared by reasons and the report.</summary>
internal static class NumberText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>0.912 (three decimals; never "-0.000").</summary>
    public static string Value(double x) => Clean(x.ToString("0.000", Invariant));

    /// <summary>+0.012 / -0.034 / 0.000.</summary>
    public static string Signed(double x)
    {
        var text = Value(x);
        return text == "0.000" || text.StartsWith('-') ? text : "+" + text;
    }

    /// <summary>A threshold as written in the spec: 0.02, 0.9, 0.0.</summary>
    public static string Threshold(double x) => Clean(x.ToString("0.0##", Invariant));

    public static string Interval(double low, double high, bool signed) =>
        signed ? $"[{Signed(low)}, {Signed(high)}]" : $"[{Value(low)}, {Value(high)}]";

    /// <summary>0.039, 0.0004 shown as &lt;0.001, 1.000.</summary>
    public static string P(double p) => p < 0.001 ? "<0.001" : p.ToString("0.000", Invariant);

    public static string Percent(double fraction) => (fraction * 100).ToString("0.00", Invariant) + "%";

    public static string Fixed(double x, int decimals) => Clean(x.ToString("F" + decimals.ToString(Invariant), Invariant));

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1 << 30 => (bytes / (double)(1 << 30)).ToString("0.0", Invariant) + " GiB",
        >= 1 << 20 => (bytes / (double)(1 << 20)).ToString("0.0", Invariant) + " MiB",
        >= 1 << 10 => (bytes / (double)(1 << 10)).ToString("0.0", Invariant) + " KiB",
        _ => bytes.ToString(Invariant) + " B",
    };

    public static string Count(long n) => n.ToString("N0", Invariant);

    private static string Clean(string text) => text.StartsWith('-') && text.Trim('-', '0', '.').Length == 0 ? text[1..] : text;
}
