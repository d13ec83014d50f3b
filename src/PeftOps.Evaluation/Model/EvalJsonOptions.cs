using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using PeftOps.Configuration;

namespace PeftOps.Evaluation;

/// <summary>The JSON conventions of eval.json and gate.json: snake_case names, enums as strings, strict reading.</summary>
internal static class EvalJsonOptions
{
    public static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = true,
            IndentSize = 2,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        // SuiteKind is spelled like adapter.yaml (embedding-similarity); the project's own enums in snake_case.
        options.Converters.Add(new JsonStringEnumConverter<SuiteKind>(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static JsonSerializerOptions Default { get; } = Create();
}
