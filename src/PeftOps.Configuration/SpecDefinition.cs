using PeftOps.Contracts;

namespace PeftOps.Configuration;

/// <summary>
/// The one definition of adapter.yaml: every key, its type, bounds and description, bound to the
/// record property it fills. Defaults are the records' own initial values. The loader, the JSON
/// schema and the flattened text view are all driven by this table.
/// </summary>
internal static class SpecDefinition
{
    public const string SuiteNamePattern = "^[a-z0-9]+([-_][a-z0-9]+)*$";

    /// <summary>The record every load starts from: the records' defaults, with placeholders for required values.</summary>
    public static AdapterSpec Seed() => new() { Name = "", Data = new DataSpec { Train = "" } };

    public static SuiteSpec SuiteSeed() => new() { Name = "", Data = "" };

    public static GateRule RuleSeed() => new() { Metric = "" };

    public static VariantSpec VariantSeed() => new() { Name = "" };

    public static readonly SpecShape<TaskSpec> Task = new(
        "What the adapted model does.",
        Fields<TaskSpec>.Scalar("type", "sequence-classification (an encoder with a classification head) or causal-lm (a decoder trained on prompt/response pairs).",
            Scalars.Enum(("sequence-classification", TaskType.SequenceClassification), ("causal-lm", TaskType.CausalLm)),
            s => s.Type, (s, v) => s with { Type = v }),
        Fields<TaskSpec>.Scalar("max_length", "Tokens per example; longer inputs are truncated.",
            Scalars.Integer, s => s.MaxLength, (s, v) => s with { MaxLength = v }, Bounds.AtLeast(1)),
        Fields<TaskSpec>.List("labels", "The label set, in order; when empty, taken from the training data (sorted ordinally).",
            Scalars.Text, s => s.Labels, (s, v) => s with { Labels = v }, unique: true));

    public static readonly SpecShape<MethodSpec> Method = new(
        "The PEFT method and where it is injected (named as in Hugging Face PEFT).",
        Fields<MethodSpec>.Scalar("type", "lora, dora (weight-decomposed LoRA), ia3 (learned rescaling vectors).",
            Scalars.Enum(("lora", MethodType.Lora), ("dora", MethodType.Dora), ("ia3", MethodType.Ia3)),
            s => s.Type, (s, v) => s with { Type = v }),
        Fields<MethodSpec>.Scalar("r", "LoRA rank: the inner dimension of A [r, in] and B [out, r].",
            Scalars.Integer, s => s.R, (s, v) => s with { R = v }, Bounds.Above(0)),
        Fields<MethodSpec>.Scalar("alpha", "LoRA alpha: the update is scaled by alpha / r (alpha / sqrt(r) with use_rslora).",
            Scalars.Number, s => s.Alpha, (s, v) => s with { Alpha = v }, Bounds.Above(0)),
        Fields<MethodSpec>.Scalar("dropout", "Dropout on the adapter's input during training.",
            Scalars.Number, s => s.Dropout, (s, v) => s with { Dropout = v }, Bounds.Between(0, false, 1, true)),
        Fields<MethodSpec>.Scalar("use_rslora", "Rank-stabilised LoRA: scale by alpha / sqrt(r) instead of alpha / r.",
            Scalars.Boolean, s => s.UseRsLora, (s, v) => s with { UseRsLora = v }),
        Fields<MethodSpec>.Scalar("init", "LoRA initialisation: default (A kaiming-uniform, B zero), gaussian (A normal, B zero) or none (both random); PEFT's true and false mean default and none.",
            Scalars.Enum(("default", LoraInit.Default), ("gaussian", LoraInit.Gaussian), ("none", LoraInit.None), ("true", LoraInit.Default), ("false", LoraInit.None)),
            s => s.Init, (s, v) => s with { Init = v }),
        new TargetModulesField(),
        Fields<MethodSpec>.List("feedforward_modules", "ia3 only: target modules whose input (not output) is rescaled.",
            Scalars.Text, s => s.FeedforwardModules, (s, v) => s with { FeedforwardModules = v }, unique: true),
        Fields<MethodSpec>.List("modules_to_save", "Modules trained in full and saved with the adapter (the classification head: classifier).",
            Scalars.Text, s => s.ModulesToSave, (s, v) => s with { ModulesToSave = v }, unique: true),
        Fields<MethodSpec>.Scalar("bias", "Which biases train: none, all, or lora_only (the biases of adapted layers).",
            Scalars.Enum(("none", BiasMode.None), ("all", BiasMode.All), ("lora_only", BiasMode.LoraOnly)),
            s => s.Bias, (s, v) => s with { Bias = v }),
        Fields<MethodSpec>.List("layers_to_transform", "Only these layer indices are adapted; empty: all layers.",
            Scalars.Integer, s => s.LayersToTransform, (s, v) => s with { LayersToTransform = v }, Bounds.AtLeast(0), unique: true),
        Fields<MethodSpec>.Map("rank_pattern", "Per-module rank overriding r, keyed by a module-name pattern.",
            Scalars.Integer, s => s.RankPattern, (s, v) => s with { RankPattern = v }, Bounds.Above(0)),
        Fields<MethodSpec>.Map("alpha_pattern", "Per-module alpha overriding alpha, keyed by a module-name pattern.",
            Scalars.Number, s => s.AlphaPattern, (s, v) => s with { AlphaPattern = v }, Bounds.Above(0)));

    public static readonly SpecShape<DataSpec> Data = new(
        "Training data, relative to the adapter folder.",
        Fields<DataSpec>.Text("train", "Training data: JSONL (or CSV with a header) with text and label; JSONL prompt/response for causal-lm.",
            s => s.Train, (s, v) => s with { Train = v }, required: true),
        Fields<DataSpec>.Scalar("validation", "Validation data, same format: early stopping and the out-of-scope threshold.",
            Scalars.OptionalText, s => s.Validation, (s, v) => s with { Validation = v }));

    public static readonly SpecShape<EarlyStoppingSpec> EarlyStopping = new(
        "Stop when the validation metric has not improved for patience epochs; keep the best epoch. Needs data.validation.",
        Fields<EarlyStoppingSpec>.Scalar("metric", "The validation metric watched: accuracy, macro_f1 (higher is better) or loss (lower is better).",
            Scalars.OneOf("accuracy", "macro_f1", "loss"), s => s.Metric, (s, v) => s with { Metric = v }),
        Fields<EarlyStoppingSpec>.Scalar("patience", "Epochs without improvement before stopping.",
            Scalars.Integer, s => s.Patience, (s, v) => s with { Patience = v }, Bounds.AtLeast(1)));

    public static readonly SpecShape<TrainingSpec> Training = new(
        "Optimisation (AdamW) and schedule.",
        Fields<TrainingSpec>.Scalar("epochs", "Passes over the training data.",
            Scalars.Integer, s => s.Epochs, (s, v) => s with { Epochs = v }, Bounds.AtLeast(1)),
        Fields<TrainingSpec>.Scalar("max_steps", "When set, stop after this many optimizer steps (overrides epochs).",
            Scalars.Optional(Scalars.Integer), s => s.MaxSteps, (s, v) => s with { MaxSteps = v }, Bounds.AtLeast(1)),
        Fields<TrainingSpec>.Scalar("batch_size", "Examples per forward pass.",
            Scalars.Integer, s => s.BatchSize, (s, v) => s with { BatchSize = v }, Bounds.AtLeast(1)),
        Fields<TrainingSpec>.Scalar("gradient_accumulation_steps", "Forward passes per optimizer step (effective batch = batch_size x this).",
            Scalars.Integer, s => s.GradientAccumulationSteps, (s, v) => s with { GradientAccumulationSteps = v }, Bounds.AtLeast(1)),
        Fields<TrainingSpec>.Scalar("learning_rate", "Peak learning rate of AdamW.",
            Scalars.Number, s => s.LearningRate, (s, v) => s with { LearningRate = v }, Bounds.Above(0)),
        Fields<TrainingSpec>.Scalar("weight_decay", "AdamW's decoupled weight decay.",
            Scalars.Number, s => s.WeightDecay, (s, v) => s with { WeightDecay = v }, Bounds.AtLeast(0)),
        Fields<TrainingSpec>.Scalar("warmup_ratio", "Share of the optimizer steps spent warming the learning rate up linearly from 0.",
            Scalars.Number, s => s.WarmupRatio, (s, v) => s with { WarmupRatio = v }, Bounds.Between(0, false, 1, true)),
        Fields<TrainingSpec>.Scalar("scheduler", "Learning-rate decay after warmup: linear (to 0), cosine (to 0) or constant.",
            Scalars.Enum(("linear", SchedulerType.Linear), ("cosine", SchedulerType.Cosine), ("constant", SchedulerType.Constant)),
            s => s.Scheduler, (s, v) => s with { Scheduler = v }),
        Fields<TrainingSpec>.Scalar("max_grad_norm", "Gradients are clipped to this global L2 norm.",
            Scalars.Number, s => s.MaxGradNorm, (s, v) => s with { MaxGradNorm = v }, Bounds.Above(0)),
        Fields<TrainingSpec>.Scalar("gradient_checkpointing",
            "Activation checkpointing: each layer keeps only its input and is recomputed in the backward pass. The same losses and gradients for less activation memory and one more forward pass of the layers per step.",
            Scalars.Switch, s => s.GradientCheckpointing, (s, v) => s with { GradientCheckpointing = v }),
        Fields<TrainingSpec>.Scalar("preserve_embeddings",
            "sequence-classification only: the weight of an extra loss, 1 - cosine between each training text's mean-pooled sentence embedding under the adapter and under the base model, so that behaviour outside the task (embedding similarity) moves less. Off when absent; 1.0 weighs it like the classification loss.",
            Scalars.Optional(Scalars.Number), s => s.PreserveEmbeddings, (s, v) => s with { PreserveEmbeddings = v }, Bounds.Above(0)),
        Fields<TrainingSpec>.Scalar("seed", "Seeds initialisation, dropout and shuffling.",
            Scalars.Integer, s => s.Seed, (s, v) => s with { Seed = v }, Bounds.AtLeast(0)),
        Fields<TrainingSpec>.Object("early_stopping", EarlyStopping, s => s.EarlyStopping, (s, v) => s with { EarlyStopping = v },
            () => new EarlyStoppingSpec(), nullable: true),
        Fields<TrainingSpec>.Scalar("checkpoint_every", "Write a resumable checkpoint every N optimizer steps (0: only at epoch ends).",
            Scalars.Integer, s => s.CheckpointEvery, (s, v) => s with { CheckpointEvery = v }, Bounds.AtLeast(0)));

    public static readonly Scalar<SuiteKind> SuiteKinds = Scalars.Enum(
        ("classification", SuiteKind.Classification), ("embedding-similarity", SuiteKind.EmbeddingSimilarity),
        ("out-of-scope", SuiteKind.OutOfScope), ("perplexity", SuiteKind.Perplexity),
        ("multiple-choice", SuiteKind.MultipleChoice), ("generation", SuiteKind.Generation));

    public static readonly SpecShape<SuiteSpec> Suite = new(
        "An evaluation suite, run on the base, baseline and candidate models on the same examples.",
        Fields<SuiteSpec>.Text("name", "The suite's name, unique in the spec; gate rules name its metrics as name.metric.",
            s => s.Name, (s, v) => s with { Name = v }, (SuiteNamePattern, "lowercase letters, digits, - and _ (like general-similarity)"), required: true),
        Fields<SuiteSpec>.Scalar("kind",
            "classification (accuracy, macro_f1), embedding-similarity (spearman), out-of-scope (rejection_rate), perplexity (perplexity); "
            + "for causal-lm: multiple-choice (acc, acc_norm) or generation (exact_match, rouge_l, chrf, pass_rate, contains_rate, ...).",
            SuiteKinds, s => s.Kind, (s, v) => s with { Kind = v }),
        Fields<SuiteSpec>.Text("data",
            "The suite's data, relative to the adapter folder: JSONL/CSV text,label; TSV score,sentence1,sentence2 for embedding-similarity; "
            + "JSONL question, choices, gold for multiple-choice; JSONL prompt or messages with reference and requirements for generation.",
            s => s.Data, (s, v) => s with { Data = v }, required: true),
        Fields<SuiteSpec>.Scalar("threshold", "out-of-scope only: a fixed confidence threshold instead of one calibrated on data.validation.",
            Scalars.Optional(Scalars.Number), s => s.Threshold, (s, v) => s with { Threshold = v }, Bounds.Between(0, true, 1, true)),
        Fields<SuiteSpec>.Scalar("quantile", "out-of-scope only: the share of validation examples the calibrated threshold may reject.",
            Scalars.Number, s => s.Quantile, (s, v) => s with { Quantile = v }, Bounds.Between(0, true, 1, true)),
        Fields<SuiteSpec>.Scalar("max_new_tokens", "generation only: tokens generated per answer at most; decoding is greedy.",
            Scalars.Integer, s => s.MaxNewTokens, (s, v) => s with { MaxNewTokens = v }, Bounds.AtLeast(1)),
        Fields<SuiteSpec>.List("stop", "generation only: an answer ends before the first of these strings (which it does not contain).",
            Scalars.Text, s => s.Stop, (s, v) => s with { Stop = v }));

    public static readonly SpecShape<OutOfScopeSpec> OutOfScope = new(
        "Out-of-scope messages and how rejection is decided; the threshold is calibrated on validation data only.",
        Fields<OutOfScopeSpec>.Scalar("data", "Out-of-scope training messages (JSONL or CSV with text; a label is ignored), relative to the adapter folder. Needed by method oos-class.",
            Scalars.OptionalText, s => s.Data, (s, v) => s with { Data = v }),
        Fields<OutOfScopeSpec>.Scalar("validation", "Out-of-scope validation messages: early stopping and the calibration report; never trained on.",
            Scalars.OptionalText, s => s.Validation, (s, v) => s with { Validation = v }),
        Fields<OutOfScopeSpec>.Scalar("method", "oos-class (an extra class out_of_scope trained on data, plus the calibrated threshold) or softmax (the calibrated threshold on the top in-scope probability only).",
            Scalars.Enum(ScopeNames.All<ScopeMethod>()), s => s.Method, (s, v) => s with { Method = v }),
        Fields<OutOfScopeSpec>.Scalar("score",
            "What the threshold applies to: confidence (the top in-scope probability) or mahalanobis (the distance of the classifier's normalised pooled features to the nearest in-scope class, fitted on the training messages).",
            Scalars.Enum(ScopeNames.All<ScopeScore>()), s => s.Score, (s, v) => s with { Score = v }),
        Fields<OutOfScopeSpec>.Scalar("target_in_scope_recall", "The threshold is set to accept this share of the in-scope messages of data.validation.",
            Scalars.Number, s => s.TargetInScopeRecall, (s, v) => s with { TargetInScopeRecall = v }, Bounds.Between(0, true, 1, true)),
        Fields<OutOfScopeSpec>.Scalar("head_only",
            "oos-class: the out-of-scope messages train the classifier head only (pooler and classifier), not the adapted encoder, so general sentence embeddings move only as in-scope training moves them.",
            Scalars.Switch, s => s.HeadOnly, (s, v) => s with { HeadOnly = v }));

    public static readonly SpecShape<ScopeSpec> Scope = new(
        "What the classifier answers and what it refuses: predict returns out_of_scope instead of forcing an intent.",
        Fields<ScopeSpec>.List("in_scope_labels", "The labels in scope; empty: every training label. Rows with other labels are out-of-scope examples.",
            Scalars.Text, s => s.InScopeLabels, (s, v) => s with { InScopeLabels = v }, unique: true),
        Fields<ScopeSpec>.Object("out_of_scope", OutOfScope, s => s.OutOfScope, (s, v) => s with { OutOfScope = v },
            () => new OutOfScopeSpec(), nullable: true));

    public static readonly SpecShape<EvaluationSpec> Evaluation = new(
        "What the adapter is measured on.",
        Fields<EvaluationSpec>.Objects("target", "Suites for the task the adapter is for.", Suite,
            s => s.Target, (s, v) => s with { Target = v }, SuiteSeed, x => x.Name),
        Fields<EvaluationSpec>.Objects("non_target", "Suites for behaviour the adapter must not break.", Suite,
            s => s.NonTarget, (s, v) => s with { NonTarget = v }, SuiteSeed, x => x.Name));

    private static readonly (string, string) MetricPattern =
        ($"^[a-z0-9]+([-_][a-z0-9]+)*\\.({string.Join('|', MetricNames.All)})$",
         $"suite.metric with metric one of {string.Join(", ", MetricNames.All)}");

    public static readonly SpecShape<GateRule> TargetRule = new(
        "A rule on a target suite's metric: the candidate must reach min and/or beat the baseline by min_delta.",
        Fields<GateRule>.Text("metric", "suite.metric, for a suite in evaluation.target (intents.accuracy).",
            s => s.Metric, (s, v) => s with { Metric = v }, MetricPattern, required: true),
        Fields<GateRule>.Scalar("min", "The candidate's value must be at least this.",
            Scalars.Optional(Scalars.Number), s => s.Min, (s, v) => s with { Min = v }),
        Fields<GateRule>.Scalar("min_delta", "Candidate minus baseline must be at least this (negative: a tolerated drop).",
            Scalars.Optional(Scalars.Number), s => s.MinDelta, (s, v) => s with { MinDelta = v }))
    {
        AtLeastOneOf = ["min", "min_delta"],
    };

    public static readonly SpecShape<GateRule> NonTargetRule = new(
        "A rule on a non-target suite's metric: it may not drop by more than max_drop against the baseline.",
        Fields<GateRule>.Text("metric", "suite.metric, for a suite in evaluation.non_target (general-similarity.spearman).",
            s => s.Metric, (s, v) => s with { Metric = v }, MetricPattern, required: true),
        Fields<GateRule>.Scalar("max_drop", "Baseline minus candidate must be at most this.",
            Scalars.Optional(Scalars.Number, acceptNull: false), s => s.MaxDrop, (s, v) => s with { MaxDrop = v }, Bounds.AtLeast(0), required: true));

    public static readonly SpecShape<GatePolicy> Gate = new(
        "The regression gate: paired comparisons of candidate and baseline with seeded bootstrap intervals.",
        Fields<GatePolicy>.Scalar("compare_to", "The baseline: production (the version in production; the base model when there is none) or base.",
            Scalars.Enum(("production", CompareTo.Production), ("base", CompareTo.Base)), s => s.CompareTo, (s, v) => s with { CompareTo = v }),
        Fields<GatePolicy>.Scalar("confidence", "Confidence level of the intervals (and 1 - alpha of the tests).",
            Scalars.Number, s => s.Confidence, (s, v) => s with { Confidence = v }, Bounds.Between(0, true, 1, true)),
        Fields<GatePolicy>.Scalar("bootstrap_resamples", "Bootstrap resamples per interval.",
            Scalars.Integer, s => s.BootstrapResamples, (s, v) => s with { BootstrapResamples = v }, Bounds.AtLeast(1)),
        Fields<GatePolicy>.Scalar("seed", "Seeds the bootstrap.",
            Scalars.Integer, s => s.Seed, (s, v) => s with { Seed = v }, Bounds.AtLeast(0)),
        Fields<GatePolicy>.Objects("target", "Rules on target suites; all must pass.", TargetRule,
            s => s.Target, (s, v) => s with { Target = v }, RuleSeed, x => x.Metric),
        Fields<GatePolicy>.Objects("non_target", "Rules on non-target suites; all must pass.", NonTargetRule,
            s => s.NonTarget, (s, v) => s with { NonTarget = v }, RuleSeed, x => x.Metric),
        Fields<GatePolicy>.Scalar("on_inconclusive", "What an inconclusive verdict does to the check: fail, pass, or neutral (exit code 3).",
            Scalars.Enum(("fail", OnInconclusive.Fail), ("pass", OnInconclusive.Pass), ("neutral", OnInconclusive.Neutral)),
            s => s.OnInconclusive, (s, v) => s with { OnInconclusive = v }));

    public static readonly SpecShape<DataChecksSpec> DataChecks = new(
        "peftops data check (run before training): what it looks for, and the gate's rules on what it finds. A max_ rule left unset is reported, not judged.",
        Fields<DataChecksSpec>.Scalar("max_leakage", "At most this many evaluation rows whose normalised text (NFKC, case, whitespace, punctuation) is also a training row's.",
            Scalars.Optional(Scalars.Integer), s => s.MaxLeakage, (s, v) => s with { MaxLeakage = v }, Bounds.AtLeast(0)),
        Fields<DataChecksSpec>.Scalar("max_conflicts", "At most this many normalised texts with more than one label.",
            Scalars.Optional(Scalars.Integer), s => s.MaxConflicts, (s, v) => s with { MaxConflicts = v }, Bounds.AtLeast(0)),
        Fields<DataChecksSpec>.Scalar("max_near_duplicates", "At most this many training/evaluation pairs at or above near_duplicate_threshold.",
            Scalars.Optional(Scalars.Integer), s => s.MaxNearDuplicates, (s, v) => s with { MaxNearDuplicates = v }, Bounds.AtLeast(0)),
        Fields<DataChecksSpec>.Scalar("max_label_errors", "At most this many training rows flagged as likely mislabelled by confident learning.",
            Scalars.Optional(Scalars.Integer), s => s.MaxLabelErrors, (s, v) => s with { MaxLabelErrors = v }, Bounds.AtLeast(0)),
        Fields<DataChecksSpec>.Scalar("near_duplicate_threshold", "Cosine of the base model's sentence embeddings at or above which a training and an evaluation row are near duplicates (unset: 0.95).",
            Scalars.Optional(Scalars.Number), s => s.NearDuplicateThreshold, (s, v) => s with { NearDuplicateThreshold = v }, Bounds.Between(0, true, 1, false)),
        Fields<DataChecksSpec>.Scalar("min_label_count", "Training labels with fewer rows than this are reported (unset: 5).",
            Scalars.Optional(Scalars.Integer), s => s.MinLabelCount, (s, v) => s with { MinLabelCount = v }, Bounds.AtLeast(1)),
        Fields<DataChecksSpec>.Scalar("folds", "Folds of the linear probe whose out-of-fold probabilities confident learning reads (unset: 5).",
            Scalars.Optional(Scalars.Integer), s => s.Folds, (s, v) => s with { Folds = v }, Bounds.AtLeast(2)),
        Fields<DataChecksSpec>.Scalar("seed", "Seeds the folds and the probe (unset: 17).",
            Scalars.Optional(Scalars.Integer), s => s.Seed, (s, v) => s with { Seed = v }, Bounds.AtLeast(0)),
        Fields<DataChecksSpec>.Scalar("dtype", "The dtype the base model embeds the texts in: float32, or bf16 where libtorch runs bfloat16 matmuls natively (about half the time on CPUs with AVX512-BF16 or AMX; cosines move by up to about 0.004) (unset: float32).",
            Scalars.OptionalOneOf("float32", "bf16"), s => s.Dtype, (s, v) => s with { Dtype = v }));

    public static readonly SpecShape<VariantSpec> Variant = new(
        "A variant of this spec: the committed spec with --set style overrides.",
        Fields<VariantSpec>.Text("name", "The variant's name, unique among the variants (not committed): its folder under peftops compare's --out.",
            s => s.Name, (s, v) => s with { Name = v }, (AdapterName.Pattern, AdapterName.Meaning), required: true),
        Fields<VariantSpec>.List("set", "Overrides key=value, applied as --set applies them (method.r=4, method.type=ia3, method.target_modules=[query]).",
            Scalars.Text, s => s.Set, (s, v) => s with { Set = v }));

    public static readonly SpecShape<CompareSpec> Compare = new(
        "peftops compare: variants of this spec (method, rank, target modules, layers) trained, evaluated and gated beside it. Training ignores this section.",
        Fields<CompareSpec>.Objects("variants", "The variants, in the order the comparison lists them (after the committed spec).", Variant,
            s => s.Variants, (s, v) => s with { Variants = v }, VariantSeed, x => x.Name));

    public static readonly SpecShape<AdapterSpec> Root = new(
        "A PeftOps adapter spec: adapters/<name>/adapter.yaml.",
        Fields<AdapterSpec>.Text("name", "The adapter's name: a lowercase slug equal to its folder's name.",
            s => s.Name, (s, v) => s with { Name = v }, (AdapterName.Pattern, AdapterName.Meaning), required: true),
        Fields<AdapterSpec>.Text("description", "One line on what the adapter is for.", s => s.Description, (s, v) => s with { Description = v }),
        Fields<AdapterSpec>.Text("owner", "Who answers for it (a GitHub team or user).", s => s.Owner, (s, v) => s with { Owner = v }),
        Fields<AdapterSpec>.Text("base_model", "builtin:all-MiniLM-L6-v2 (embedded) or a Hugging Face checkpoint folder.",
            s => s.BaseModel, (s, v) => s with { BaseModel = v }, ("^.+$", "a model reference")),
        Fields<AdapterSpec>.Object("task", Task, s => s.Task, (s, v) => s with { Task = v! }, () => new TaskSpec()),
        Fields<AdapterSpec>.Object("method", Method, s => s.Method, (s, v) => s with { Method = v! }, () => new MethodSpec()),
        Fields<AdapterSpec>.Object("data", Data, s => s.Data, (s, v) => s with { Data = v! }, () => new DataSpec { Train = "" }, required: true),
        Fields<AdapterSpec>.Object("training", Training, s => s.Training, (s, v) => s with { Training = v! }, () => new TrainingSpec()),
        Fields<AdapterSpec>.Object("evaluation", Evaluation, s => s.Evaluation, (s, v) => s with { Evaluation = v! }, () => new EvaluationSpec()),
        Fields<AdapterSpec>.Object("scope", Scope, s => s.Scope, (s, v) => s with { Scope = v }, () => new ScopeSpec(), nullable: true),
        Fields<AdapterSpec>.Object("gate", Gate, s => s.Gate, (s, v) => s with { Gate = v! }, () => new GatePolicy()),
        Fields<AdapterSpec>.Object("data_checks", DataChecks, s => s.DataChecks, (s, v) => s with { DataChecks = v! }, () => new DataChecksSpec()),
        Fields<AdapterSpec>.Object("compare", Compare, s => s.Compare, (s, v) => s with { Compare = v! }, () => new CompareSpec()));
}
