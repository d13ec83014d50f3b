namespace PeftOps.Configuration.Schema;

/// <summary>Short constructors for the fields of record <typeparamref name="T"/>, so the spec table reads as a table.</summary>
internal static class Fields<T>
{
    public static ScalarField<T, TValue> Scalar<TValue>(
        string key, string description, Scalar<TValue> scalar, Func<T, TValue> get, Func<T, TValue, T> set,
        Bounds? bounds = null, bool required = false) =>
        new(key, description, scalar, get, set) { Bounds = bounds, Required = required };

    public static ScalarField<T, string> Text(
        string key, string description, Func<T, string> get, Func<T, string, T> set,
        (string Regex, string Meaning)? pattern = null, bool required = false) =>
        new(key, description, Scalars.Text, get, set) { Pattern = pattern, Required = required };

    public static ListField<T, TValue> List<TValue>(
        string key, string description, Scalar<TValue> item, Func<T, IReadOnlyList<TValue>> get, Func<T, IReadOnlyList<TValue>, T> set,
        Bounds? itemBounds = null, bool unique = false) =>
        new(key, description, item, get, set) { ItemBounds = itemBounds, Unique = unique };

    public static MapField<T, TValue> Map<TValue>(
        string key, string description, Scalar<TValue> value,
        Func<T, IReadOnlyDictionary<string, TValue>> get, Func<T, IReadOnlyDictionary<string, TValue>, T> set, Bounds? valueBounds = null) =>
        new(key, description, value, get, set) { ValueBounds = valueBounds };

    public static ObjectField<T, TChild> Object<TChild>(
        string key, SpecShape<TChild> shape, Func<T, TChild?> get, Func<T, TChild?, T> set, Func<TChild> seed,
        bool nullable = false, bool required = false) where TChild : class =>
        new(key, shape, get, set, seed) { Nullable = nullable, Required = required };

    public static ObjectListField<T, TChild> Objects<TChild>(
        string key, string description, SpecShape<TChild> shape,
        Func<T, IReadOnlyList<TChild>> get, Func<T, IReadOnlyList<TChild>, T> set, Func<TChild> seed, Func<TChild, string> label) =>
        new(key, description, shape, get, set, seed, label);
}
