using System.Globalization;
using System.Text;
using PeftOps.Modeling.Tokenization.Unicode;

namespace PeftOps.Training.DataChecks;

/// <summary>
/// The normalised text exact-duplicate, leakage and conflict checks compare: Unicode NFKC (<see cref="CanonicalNormalizer.Nfkc"/>: no ICU here), case folded
/// (invariant lower case of the invariant upper case: simple case mapping, so "ß" stays "ß"), punctuation (Unicode
/// categories P*) removed, runs of white space made one space, trimmed.
/// </summary>
public static class TextKey
{
    public static string Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = CanonicalNormalizer.Nfkc(text).ToUpperInvariant().ToLowerInvariant();
        var key = new StringBuilder(folded.Length);
        var space = false;
        foreach (var c in folded)
        {
            if (char.IsWhiteSpace(c))
            {
                space = key.Length > 0;
                continue;
            }
            if (char.GetUnicodeCategory(c) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation)
                continue;
            if (space)
                key.Append(' ');
            space = false;
            key.Append(c);
        }
        return key.ToString();
    }
}
