using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace PeftOps.Contracts;

/// <summary>The JSON conventions of eval.json and gate.json: snake_case names, enums as strings, strict reading.</summary>
internal static class EvalJsonOptions
{
    public static JsonSerializerOptions Create(bool writeNulls)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = writeNulls ? JsonIgnoreCondition.Never : JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = true,
            IndentSize = 2,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { JsonKeyOrderAttribute.Apply } },
        };
        // SuiteKind is spelled like adapter.yaml (embedding-similarity); the project's own enums in snake_case.
        options.Converters.Add(new SpelledEnumConverter(JsonNamingPolicy.KebabCaseLower).CreateConverter(typeof(SuiteKind), options));
        options.Converters.Add(new SpelledEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>eval.json: optional properties are left out when absent.</summary>
    public static JsonSerializerOptions Default { get; } = Create(writeNulls: false);

    /// <summary>gate.json: every property is written, absent ones as null, so machines see the full shape.</summary>
    public static JsonSerializerOptions Gate { get; } = Create(writeNulls: true);
}
