using PeftOps.Contracts;

using static TorchSharp.torch;

namespace PeftOps.Modeling.Checkpoints;

/// <summary>
/// Copies checkpoint tensors into a module's parameters by Hugging Face name, checking every shape
/// against the one the config implies. Accepts the old <c>LayerNorm.gamma/beta</c> names and a
/// checkpoint saved with or without the task model's prefix (<c>bert.</c>, <c>model.</c>).
/// </summary>
public static class StateDictLoader
{
    /// <param name="optional">Parameter names that may be absent (a new classifier head, a tied lm_head).</param>
    /// <returns>The names of parameters that stayed as initialised because the checkpoint lacked them.</returns>
    public static IReadOnlyList<string> Load(nn.Module module, IReadOnlyDictionary<string, Tensor> tensors, string checkpointPath,
        IReadOnlySet<string>? optional = null)
    {
        var index = tensors.Keys.ToDictionary(Canonical, k => k, StringComparer.Ordinal);
        var missing = new List<string>();
        var errors = new List<string>();
        using var _ = no_grad();
        foreach (var (name, parameter) in module.named_parameters())
        {
            if (!TryFind(index, name, out var key))
            {
                if (optional?.Contains(name) == true)
                    missing.Add(name);
                else
                    errors.Add($"tensor '{name}' is missing");
                continue;
            }
            var source = tensors[key];
            if (!source.shape.SequenceEqual(parameter.shape))
            {
                errors.Add($"tensor '{key}' has shape [{string.Join(", ", source.shape)}] but config.json implies [{string.Join(", ", parameter.shape)}]");
                continue;
            }
            if (source.dtype == parameter.dtype && source.device_type == parameter.device_type && source.is_contiguous())
                parameter.set_(source); // the parameter takes the loaded storage: no second copy (the result is the parameter itself)
            else
                parameter.copy_(source.to(parameter.dtype));
        }
        if (errors.Count > 0)
            throw new InputException($"{checkpointPath}: {string.Join("; ", errors.Take(5))}{(errors.Count > 5 ? $"; and {errors.Count - 5} more" : "")}");
        return missing;
    }

    private static bool TryFind(Dictionary<string, string> index, string name, out string key)
    {
        foreach (var candidate in Candidates(name))
        {
            if (index.TryGetValue(candidate, out key!))
                return true;
        }
        key = "";
        return false;
    }

    // bert.encoder.x may be stored as encoder.x (a bare BertModel checkpoint) and vice versa.
    private static IEnumerable<string> Candidates(string name)
    {
        yield return name;
        foreach (var prefix in new[] { "bert.", "model." })
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
                yield return name[prefix.Length..];
            else
                yield return prefix + name;
        }
    }

    private static string Canonical(string key) =>
        key.EndsWith("LayerNorm.gamma", StringComparison.Ordinal) ? key[..^"gamma".Length] + "weight"
        : key.EndsWith("LayerNorm.beta", StringComparison.Ordinal) ? key[..^"beta".Length] + "bias"
        : key;
}
