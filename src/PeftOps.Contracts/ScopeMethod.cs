using System.Text.Json;

namespace PeftOps.Contracts;

/// <summary>How a classifier decides that a message is outside its scope.</summary>
public enum ScopeMethod
{
    /// <summary>An extra class trained on adapter.yaml's <c>scope.out_of_scope.data</c>, plus a confidence threshold calibrated on validation.</summary>
    OosClass,
    /// <summary>Only a confidence threshold (top in-scope probability) calibrated on validation; nothing out of scope is trained.</summary>
    Softmax,
}

/// <summary>
/// The one spelling of <see cref="ScopeMethod"/> and <see cref="ScopeScore"/> (kebab case: <c>oos-class</c>,
/// <c>softmax</c>, <c>confidence</c>, <c>mahalanobis</c>) that adapter.yaml, train.json and an adapter's
/// <c>peftops.scope</c> metadata share.
/// </summary>
public static class ScopeNames
{
    public static string Name(ScopeMethod method) => Spell(method);

    public static string Name(ScopeScore score) => Spell(score);

    /// <summary>Every value of <typeparamref name="T"/> with its name, in declaration order (adapter.yaml's allowed values).</summary>
    public static (string Text, T Value)[] All<T>() where T : struct, Enum => [.. Enum.GetValues<T>().Select(v => (Spell(v), v))];

    private static string Spell<T>(T value) where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
