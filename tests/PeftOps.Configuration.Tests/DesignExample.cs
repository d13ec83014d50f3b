namespace PeftOps.Configuration.Tests;

/// <summary>A complete adapter.yaml (the support-intents adapter as first designed, every section a spec may have) and the data files it names.</summary>
internal static class DesignExample
{
    public const string Yaml = """
        name: support-intents
        description: AwesomeShoes Co. customer-support intent classifier
        owner: "@support-ml"
        base_model: builtin:all-MiniLM-L6-v2
        task: {type: sequence-classification, max_length: 64}
        method: {type: lora, r: 8, alpha: 16, dropout: 0.1, target_modules: [query, value], modules_to_save: [classifier]}
        data: {train: data/train.jsonl, validation: data/validation.jsonl}
        training: {epochs: 8, batch_size: 32, learning_rate: 5.0e-4, weight_decay: 0.01, warmup_ratio: 0.1,
                   scheduler: linear, max_grad_norm: 1.0, seed: 42, early_stopping: {metric: macro_f1, patience: 2}}
        evaluation:
          target:
            - {name: intents, data: data/test.jsonl}
          non_target:
            - {name: general-similarity, kind: embedding-similarity, data: eval/general_pairs.tsv}
            - {name: off-topic, kind: out-of-scope, data: eval/off_topic.jsonl}
        gate:
          compare_to: production        # falls back to the base model when nothing is in production
          confidence: 0.95
          target:     [{metric: intents.accuracy, min: 0.90, min_delta: 0.0}]
          non_target: [{metric: general-similarity.spearman, max_drop: 0.02},
                       {metric: off-topic.rejection_rate, max_drop: 0.05}]
          on_inconclusive: fail         # fail | pass | neutral

        """;

    public static readonly string[] Files =
        ["data/train.jsonl", "data/validation.jsonl", "data/test.jsonl", "eval/general_pairs.tsv", "eval/off_topic.jsonl"];

    public static AdapterFolder CreateFolder() => new("support-intents", Files);
}
