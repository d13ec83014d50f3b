using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PeftOps.Contracts;

namespace PeftOps.Peft.Format;

/// <summary>
/// Writes JSON the way Python's <c>json.dumps(obj, indent=2, sort_keys=True)</c> does (PEFT's
/// adapter_config.json), so a config read and written again is byte-for-byte the same file.
/// Numbers keep their original text; strings escape non-ASCII as \uXXXX.
/// </summary>
public static class PythonJson
{
    public static string Serialize(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(sb, node, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonNode? node, int depth)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj when obj.Count == 0:
                sb.Append("{}");
                break;
            case JsonObject obj:
                sb.Append("{\n");
                var keys = obj.Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
                for (var i = 0; i < keys.Count; i++)
                {
                    Indent(sb, depth + 1);
                    WriteString(sb, keys[i]);
                    sb.Append(": ");
                    Write(sb, obj[keys[i]], depth + 1);
                    sb.Append(i < keys.Count - 1 ? ",\n" : "\n");
                }
                Indent(sb, depth);
                sb.Append('}');
                break;
            case JsonArray arr when arr.Count == 0:
                sb.Append("[]");
                break;
            case JsonArray arr:
                sb.Append("[\n");
                for (var i = 0; i < arr.Count; i++)
                {
                    Indent(sb, depth + 1);
                    Write(sb, arr[i], depth + 1);
                    sb.Append(i < arr.Count - 1 ? ",\n" : "\n");
                }
                Indent(sb, depth);
                sb.Append(']');
                break;
            case JsonValue value:
                WriteValue(sb, value);
                break;
        }
    }

    private static void WriteValue(StringBuilder sb, JsonValue value)
    {
        var element = value.GetValueKind();
        switch (element)
        {
            case JsonValueKind.String:
                WriteString(sb, value.GetValue<string>());
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            case JsonValueKind.Number:
                sb.Append(value.TryGetValue<JsonElement>(out var raw) ? raw.GetRawText() : value.ToJsonString());
                break;
            default:
                sb.Append("null");
                break;
        }
    }

    /// <summary>Python's float repr: shortest round-trip digits, always with a decimal point.</summary>
    public static JsonNode Float(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (!text.Contains('.', StringComparison.Ordinal) && !text.Contains('E', StringComparison.Ordinal))
            text += ".0";
        return JsonNode.Parse(text.Replace("E", "e", StringComparison.Ordinal))!;
    }

    private static void WriteString(StringBuilder sb, string s) => PythonJsonString.Append(sb, s, ensureAscii: true);

    private static void Indent(StringBuilder sb, int depth) => sb.Append(' ', depth * 2);
}
