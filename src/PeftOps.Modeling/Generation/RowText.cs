using PeftOps.Modeling.Tokenization;

namespace PeftOps.Modeling.Generation;

/// <summary>
/// One row's text as its tokens arrive: the decoded text, where it stops, and the part that is safe to stream. Text
/// that may still turn out to be the start of a stop string, or bytes that are not yet a whole UTF-8 character
/// (decoded as U+FFFD), are held back until a later token settles them or the row finishes.
/// </summary>
internal sealed class RowText(IDecoderTokenizer? tokenizer, IReadOnlyList<string> stops)
{
    private readonly List<int> tokens = [];
    private int streamed;

    /// <summary>The text so far; once <see cref="Stopped"/>, the text before the stop string.</summary>
    public string Text { get; private set; } = "";

    /// <summary>Whether a stop string has appeared.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Adds a token that carries text (not an end-of-sequence token) and returns the new text safe to stream.</summary>
    public string Add(int token)
    {
        tokens.Add(token);
        if (tokenizer is null)
            return "";
        Text = tokenizer.Decode(tokens);
        var cut = stops.Select(s => Text.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
        if (cut >= 0)
        {
            Text = Text[..cut];
            Stopped = true;
            return Finish();
        }
        var safe = Text.Length - HeldBack(Text);
        if (safe <= streamed)
            return "";
        var delta = Text[streamed..safe];
        streamed = safe;
        return delta;
    }

    /// <summary>The rest of the text, not yet streamed, once the row has finished.</summary>
    public string Finish()
    {
        var delta = streamed < Text.Length ? Text[streamed..] : "";
        streamed = Text.Length;
        return delta;
    }

    // How many trailing characters to hold: a partial UTF-8 character, and the longest tail that begins some stop string.
    private int HeldBack(string text)
    {
        var partial = 0;
        while (partial < text.Length && text[^(partial + 1)] == '\uFFFD')
            partial++;
        var body = text[..^partial];
        var stopPrefix = 0;
        foreach (var stop in stops)
        {
            for (var k = Math.Min(stop.Length - 1, body.Length); k > stopPrefix; k--)
            {
                if (body.AsSpan(body.Length - k).SequenceEqual(stop.AsSpan(0, k)))
                {
                    stopPrefix = k;
                    break;
                }
            }
        }
        return partial + stopPrefix;
    }
}
