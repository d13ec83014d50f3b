using System.Text.Json;
using System.Text.Json.Serialization;

namespace PeftOps.Contracts;

/// <summary>
/// Enums as the JSON files spell them (<c>pass</c>, <c>embedding-similarity</c>), read strictly: an unknown name or a
/// number is a <see cref="JsonException"/> that lists the names expected, so a reader can say
/// <c>gate.json:4: $.conclusion: expected success, failure or neutral (was "skipped")</c> instead of naming a C# type.
/// </summary>
internal class SpelledEnumConverter(JsonNamingPolicy policy) : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Spelled<>).MakeGenericType(typeToConvert), policy)!;

    private sealed class Spelled<T>(JsonNamingPolicy policy) : JsonConverter<T>
        where T : struct, Enum
    {
        private readonly Dictionary<string, T> _byName = Enum.GetValues<T>().ToDictionary(v => policy.ConvertName(v.ToString()), StringComparer.Ordinal);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var found = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            if (found is not null && _byName.TryGetValue(found, out var value))
                return value;
            var was = found is null ? $"a {reader.TokenType.ToString().ToLowerInvariant()}" : JsonSerializer.Serialize(found);
            throw new JsonException($"expected {Expected()} (was {was})");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(policy.ConvertName(value.ToString()));

        private string Expected()
        {
            var names = _byName.Keys.ToList();
            return names.Count == 1 ? names[0] : $"{string.Join(", ", names[..^1])} or {names[^1]}";
        }
    }
}
