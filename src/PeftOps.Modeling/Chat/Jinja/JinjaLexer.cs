using System.Globalization;
using System.Text;

namespace PeftOps.Modeling.Chat.Jinja;

/// <summary>
/// Splits a template into tokens as jinja2 3.1's lexer does with <c>trim_blocks=True</c> and <c>lstrip_blocks=True</c>
/// (transformers' settings): newlines normalised to <c>\n</c> and one trailing newline dropped; <c>{%-</c>, <c>{{-</c>
/// and <c>{#-</c> strip all whitespace before the tag, <c>-%}</c>, <c>-}}</c> and <c>-#}</c> all whitespace after it;
/// <c>%}</c> and <c>#}</c> eat the one newline that follows (trim_blocks), and spaces and tabs between a line start and
/// a <c>{%</c> or <c>{#</c> are dropped (lstrip_blocks); a <c>+</c> (<c>{%+</c>, <c>+%}</c>) turns either off.
/// </summary>
internal static class JinjaLexer
{
    private static readonly string[] Operators =
        ["//", "**", "==", "!=", ">=", "<=", "+", "-", "*", "/", "%", "~", "[", "]", "(", ")", "{", "}", "<", ">", "=", ".", ":", "|", ",", ";"];

    public static List<JinjaToken> Tokenize(string template)
    {
        var source = Normalize(template);
        var tokens = new List<JinjaToken>();
        var pos = 0;
        var line = 1;
        var lineStarting = true;
        while (pos < source.Length)
        {
            var (tagAt, kind) = NextTag(source, pos);
            if (tagAt < 0)
            {
                tokens.Add(new JinjaToken(JinjaTokenKind.Data, source[pos..], line));
                break;
            }
            var sign = tagAt + 2 < source.Length && source[tagAt + 2] is '-' or '+' ? source[tagAt + 2] : '\0';
            var text = source[pos..tagAt];
            if (sign == '-')
                text = text.TrimEnd(PythonText.WhitespaceChars);
            else if (sign != '+' && kind != '{')
            {
                var lineStart = text.LastIndexOf('\n') + 1;
                if ((lineStart > 0 || lineStarting) && lineStart < text.Length && text.AsSpan(lineStart).IndexOfAnyExcept(PythonText.WhitespaceChars) < 0)
                    text = text[..lineStart];
            }
            if (text.Length > 0)
                tokens.Add(new JinjaToken(JinjaTokenKind.Data, text, line));
            line += source.AsSpan(pos, tagAt - pos).Count('\n');
            pos = tagAt + 2 + (sign == '\0' ? 0 : 1);
            var end = kind == '#' ? Comment(source, pos, line) : Expression(source, pos, kind, line, tokens);
            line += source.AsSpan(pos, end - pos).Count('\n');
            lineStarting = end > 0 && source[end - 1] == '\n';
            pos = end;
        }
        tokens.Add(new JinjaToken(JinjaTokenKind.End, "", line));
        return tokens;
    }

    /// <summary>Newlines as <c>\n</c>, and without one trailing newline (jinja2's keep_trailing_newline=False).</summary>
    private static string Normalize(string template)
    {
        var source = template.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        return source.EndsWith('\n') ? source[..^1] : source;
    }

    /// <summary>The first <c>{{</c>, <c>{%</c> or <c>{#</c> at or after <paramref name="from"/>, and its second character.</summary>
    private static (int At, char Kind) NextTag(string source, int from)
    {
        for (var i = source.IndexOf('{', from); i >= 0 && i + 1 < source.Length; i = source.IndexOf('{', i + 1))
            if (source[i + 1] is '{' or '%' or '#')
                return (i, source[i + 1]);
        return (-1, '\0');
    }

    /// <summary>Skips a comment; returns where the text after it starts.</summary>
    private static int Comment(string source, int pos, int line)
    {
        var close = source.IndexOf("#}", pos, StringComparison.Ordinal);
        if (close < 0)
            throw new JinjaException("Missing end of comment tag", line);
        return TagEnd(source, close, close + 2, trimBlocks: true);
    }

    /// <summary>
    /// Where the text after a closing <c>%}</c>, <c>}}</c> or <c>#}</c> (at <paramref name="close"/>) starts: after all
    /// whitespace when a <c>-</c> precedes it, after one newline for a block or comment (trim_blocks) unless a <c>+</c> does.
    /// </summary>
    private static int TagEnd(string source, int close, int after, bool trimBlocks)
    {
        var sign = close > 0 ? source[close - 1] : '\0';
        if (sign == '-')
        {
            while (after < source.Length && PythonText.IsWhitespace(source[after]))
                after++;
            return after;
        }
        if (trimBlocks && sign != '+' && after < source.Length && source[after] == '\n')
            return after + 1;
        return after;
    }

    /// <summary>Tokenizes the inside of <c>{% ... %}</c> or <c>{{ ... }}</c>; returns where the text after it starts.</summary>
    private static int Expression(string source, int pos, char kind, int line, List<JinjaToken> tokens)
    {
        var isBlock = kind == '%';
        tokens.Add(new JinjaToken(isBlock ? JinjaTokenKind.BlockBegin : JinjaTokenKind.VariableBegin, "", line));
        var closing = isBlock ? "%}" : "}}";
        var depth = 0;
        while (true)
        {
            if (pos >= source.Length)
                throw new JinjaException($"unexpected end of template, expected '{closing}'", line);
            if (depth == 0)
            {
                var signed = source[pos] is '-' or '+' && string.CompareOrdinal(source, pos + 1, closing, 0, 2) == 0;
                if (signed && (isBlock || source[pos] == '-') || string.CompareOrdinal(source, pos, closing, 0, 2) == 0)
                {
                    var close = signed ? pos + 1 : pos;
                    tokens.Add(new JinjaToken(isBlock ? JinjaTokenKind.BlockEnd : JinjaTokenKind.VariableEnd, "", line));
                    return TagEnd(source, close, close + 2, isBlock);
                }
            }
            var c = source[pos];
            if (PythonText.IsWhitespace(c))
            {
                if (c == '\n')
                    line++;
                pos++;
            }
            else if (char.IsAsciiDigit(c))
                pos = Number(source, pos, line, tokens);
            else if (char.IsLetter(c) || c == '_')
            {
                var start = pos;
                while (pos < source.Length && (char.IsLetterOrDigit(source[pos]) || source[pos] == '_'))
                    pos++;
                tokens.Add(new JinjaToken(JinjaTokenKind.Name, source[start..pos], line));
            }
            else if (c is '\'' or '"')
            {
                var (value, end) = StringLiteral(source, pos, line);
                tokens.Add(new JinjaToken(JinjaTokenKind.String, value, line));
                line += source.AsSpan(pos, end - pos).Count('\n');
                pos = end;
            }
            else
            {
                var op = Operators.FirstOrDefault(o => string.CompareOrdinal(source, pos, o, 0, o.Length) == 0)
                    ?? throw new JinjaException($"unexpected char '{c}'", line);
                if (op is "(" or "[" or "{")
                    depth++;
                else if (op is ")" or "]" or "}")
                {
                    if (depth == 0)
                        throw new JinjaException($"unexpected '{op}'", line);
                    depth--;
                }
                tokens.Add(new JinjaToken(JinjaTokenKind.Operator, op, line));
                pos += op.Length;
            }
        }
    }

    private static int Number(string source, int pos, int line, List<JinjaToken> tokens)
    {
        var start = pos;
        static int Digits(string s, int p)
        {
            while (p < s.Length && (char.IsAsciiDigit(s[p]) || (s[p] == '_' && p + 1 < s.Length && char.IsAsciiDigit(s[p + 1]))))
                p++;
            return p;
        }
        pos = Digits(source, pos);
        var isFloat = false;
        if (pos + 1 < source.Length && source[pos] == '.' && char.IsAsciiDigit(source[pos + 1]))
        {
            pos = Digits(source, pos + 1);
            isFloat = true;
        }
        if (pos < source.Length && source[pos] is 'e' or 'E')
        {
            var e = pos + 1;
            if (e < source.Length && source[e] is '+' or '-')
                e++;
            if (e < source.Length && char.IsAsciiDigit(source[e]))
            {
                pos = Digits(source, e);
                isFloat = true;
            }
        }
        var text = source[start..pos].Replace("_", "", StringComparison.Ordinal);
        tokens.Add(new JinjaToken(isFloat ? JinjaTokenKind.Float : JinjaTokenKind.Integer, text, line));
        return pos;
    }

    /// <summary>A quoted string with Python's <c>unicode-escape</c> escapes resolved, as jinja2 reads it.</summary>
    private static (string Value, int End) StringLiteral(string source, int pos, int line)
    {
        var quote = source[pos];
        var sb = new StringBuilder();
        var i = pos + 1;
        while (true)
        {
            if (i >= source.Length)
                throw new JinjaException("unexpected end of string literal", line);
            var c = source[i];
            if (c == quote)
                return (sb.ToString(), i + 1);
            if (c != '\\' || i + 1 >= source.Length)
            {
                sb.Append(c);
                i++;
                continue;
            }
            var n = source[i + 1];
            i += 2;
            switch (n)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case '\n': break;
                case 'x': i = Hex(source, i, 2, sb, line); break;
                case 'u': i = Hex(source, i, 4, sb, line); break;
                case 'U': i = Hex(source, i, 8, sb, line); break;
                case >= '0' and <= '7':
                    var o = i - 1;
                    while (i < source.Length && i - o < 3 && source[i] is >= '0' and <= '7')
                        i++;
                    sb.Append((char)Convert.ToInt32(source[o..i], 8));
                    break;
                default: sb.Append('\\').Append(n); break;
            }
        }
    }

    private static int Hex(string source, int i, int digits, StringBuilder sb, int line)
    {
        if (i + digits > source.Length || !int.TryParse(source.AsSpan(i, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            throw new JinjaException("truncated \\x, \\u or \\U escape in a string literal", line);
        sb.Append(char.ConvertFromUtf32(code));
        return i + digits;
    }
}
