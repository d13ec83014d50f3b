using System.Globalization;
using System.Text;

namespace PeftOps.Contracts;

/// <summary>
/// A string as Python's <c>json.dumps</c> writes it: quotes, backslashes and control characters escaped
/// (<c>\n \r \t \b \f</c>, others as <c>\u00XX</c>); with <c>ensure_ascii=True</c> (Python's default, PEFT's
/// adapter_config.json) every character outside printable ASCII as <c>\uXXXX</c>, with <c>ensure_ascii=False</c>
/// (transformers' <c>tojson</c>) the others as they are.
/// </summary>
public static class PythonJsonString
{
    public static void Append(StringBuilder sb, string s, bool ensureAscii)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(s);
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || (ensureAscii && c > 0x7e))
                        sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    else
                        sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
