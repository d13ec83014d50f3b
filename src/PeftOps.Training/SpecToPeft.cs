using PeftOps.Configuration;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Peft.Format;

namespace PeftOps.Training;

/// <summary>The spec's <c>method</c> as a PEFT adapter config (PEFT's own field meanings).</summary>
public static class SpecToPeft
{
    public static PeftAdapterConfig Map(AdapterSpec spec)
    {
        var m = spec.Method;
        var classification = spec.Task.Type == TaskType.SequenceClassification;
        // PEFT's PeftModelForSequenceClassification always saves the new head.
        var modulesToSave = classification && !m.ModulesToSave.Contains("classifier") ? [.. m.ModulesToSave, "classifier"] : m.ModulesToSave;
        return new PeftAdapterConfig
        {
            Method = m.Type == MethodType.Ia3 ? PeftMethod.Ia3 : PeftMethod.Lora,
            R = m.R,
            LoraAlpha = m.Alpha,
            LoraDropout = m.Dropout,
            UseRsLora = m.UseRsLora,
            UseDora = m.Type == MethodType.Dora,
            InitLoraWeights = m.Init switch { LoraInit.Gaussian => PeftInit.Gaussian, LoraInit.None => PeftInit.None, _ => PeftInit.Default },
            TargetModules = m.AllLinear || m.TargetModulesRegex is not null ? [] : m.TargetModules,
            TargetModulesRegex = m.AllLinear ? null : m.TargetModulesRegex,
            AllLinear = m.AllLinear,
            FeedforwardModules = m.FeedforwardModules,
            ModulesToSave = modulesToSave,
            Bias = m.Bias switch { BiasMode.All => PeftBias.All, BiasMode.LoraOnly => PeftBias.LoraOnly, _ => PeftBias.None },
            LayersToTransform = m.LayersToTransform,
            RankPattern = m.RankPattern,
            AlphaPattern = m.AlphaPattern,
            TaskType = classification ? "SEQ_CLS" : "CAUSAL_LM",
            BaseModelNameOrPath = HubReference.Of(spec.BaseModel),
        };
    }
}
