using System.Reflection;
using System.Text.Json.Serialization.Metadata;

namespace PeftOps.Contracts;

/// <summary>
/// The order a file has always written a record's keys in, where that is not the order they are declared in (a base
/// record's properties come first): kept so the file stays byte for byte what earlier versions wrote. Every key of the
/// record must be listed.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class JsonKeyOrderAttribute(params string[] keys) : Attribute
{
    public IReadOnlyList<string> Keys { get; } = keys;

    /// <summary>A <see cref="DefaultJsonTypeInfoResolver"/> modifier that applies the attribute.</summary>
    public static void Apply(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || info.Type.GetCustomAttribute<JsonKeyOrderAttribute>() is not { } order)
            return;
        foreach (var property in info.Properties)
        {
            var at = order.Keys.ToList().IndexOf(property.Name);
            property.Order = at >= 0 ? at : throw new InvalidOperationException($"{info.Type.Name}: key '{property.Name}' is missing from its [JsonKeyOrder]");
        }
    }
}
