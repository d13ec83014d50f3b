namespace PeftOps.Contracts;

/// <summary>Cuts text to a length without splitting a surrogate pair, so a cut string is still valid UTF-16 (and UTF-8).</summary>
public static class SafeText
{
    /// <summary>The first <paramref name="maxLength"/> UTF-16 code units, one fewer where the cut would fall inside a surrogate pair.</summary>
    public static string Truncate(string text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        if (text.Length <= maxLength)
            return text;
        var end = maxLength > 0 && char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength;
        return text[..end];
    }
}
