using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Onnx;

namespace PeftOps.Training;

/// <summary>
/// The spec keys whose valid range depends on the base model: <c>method.r</c> and <c>method.rank_pattern</c>
/// (at most the hidden size: a rank above it adds parameters, not expressiveness, and a typo such as
/// r: 1000000000 would ask for terabytes) and <c>method.layers_to_transform</c> (layers the model has).
/// <c>spec validate</c> checks them where the base model's config can be read without its weights;
/// <c>train</c> checks them on the loaded model, before the adapter is allocated or anything is written.
/// </summary>
public static class ModelFit
{
    /// <exception cref="InputException">Every key that does not fit, one per line.</exception>
    public static void Check(AdapterSpec spec, int hiddenSize, int layers)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<string>();
        var m = spec.Method;
        if (m.Type != MethodType.Ia3)
        {
            if (m.R > hiddenSize)
                errors.Add($"{spec.Locate("method.r")}: method.r must be at most {hiddenSize}, the hidden size of base_model {spec.BaseModel} (was {m.R})");
            foreach (var (pattern, r) in m.RankPattern.Where(p => p.Value > hiddenSize))
                errors.Add($"{spec.Locate($"method.rank_pattern[{pattern}]")}: method.rank_pattern[{pattern}] must be at most {hiddenSize}, the hidden size of base_model {spec.BaseModel} (was {r})");
        }
        for (var i = 0; i < m.LayersToTransform.Count; i++)
        {
            if (m.LayersToTransform[i] >= layers)
                errors.Add($"{spec.Locate($"method.layers_to_transform[{i}]")}: method.layers_to_transform[{i}] must be a layer of base_model {spec.BaseModel}, 0 to {layers - 1} (was {m.LayersToTransform[i]})");
        }
        if (errors.Count > 0)
            throw new InputException(string.Join('\n', errors));
    }

    public static void Check(AdapterSpec spec, TransformerModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Bert is { } bert)
            Check(spec, bert.HiddenSize, bert.NumHiddenLayers);
        else if (model.Llama is { } llama)
            Check(spec, llama.HiddenSize, llama.NumHiddenLayers);
    }

    /// <summary>Checks against the base model's config (no weights loaded) where it can be read; a missing folder is left to <c>train</c>.</summary>
    public static void CheckIfKnown(AdapterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.BaseModel == ModelLoader.BuiltinMiniLm)
        {
            Check(spec, MiniLmConfig.Default.HiddenSize, MiniLmConfig.Default.NumHiddenLayers);
            return;
        }
        var config = Path.Combine(Path.GetFullPath(spec.BaseModel), "config.json");
        if (spec.BaseModel.StartsWith("builtin:", StringComparison.Ordinal) || !File.Exists(config))
            return;
        var (_, bert, llama) = HfConfigReader.Read(config);
        if (bert is not null)
            Check(spec, bert.HiddenSize, bert.NumHiddenLayers);
        else if (llama is not null)
            Check(spec, llama.HiddenSize, llama.NumHiddenLayers);
    }
}
