using PeftOps.Contracts;

namespace PeftOps.Configuration.Tests;

public sealed partial class AdapterSpecLoaderTests
{
    private const string Minimal = """
        name: x
        data: {train: data/train.jsonl}
        """;

    [Fact]
    public void The_design_example_parses_to_the_expected_records()
    {
        using var folder = DesignExample.CreateFolder();

        var spec = folder.Parse(DesignExample.Yaml);

        Assert.Equal("support-intents", spec.Name);
        Assert.Equal("AwesomeShoes Co. customer-support intent classifier", spec.Description);
        Assert.Equal("@support-ml", spec.Owner);
        Assert.Equal("builtin:all-MiniLM-L6-v2", spec.BaseModel);
        Assert.Equal(new TaskSpec { Type = TaskType.SequenceClassification, MaxLength = 64, Labels = spec.Task.Labels }, spec.Task);
        Assert.Empty(spec.Task.Labels);
        Assert.Equal((MethodType.Lora, 8, 16.0, 0.1), (spec.Method.Type, spec.Method.R, spec.Method.Alpha, spec.Method.Dropout));
        Assert.Equal(["query", "value"], spec.Method.TargetModules);
        Assert.Null(spec.Method.TargetModulesRegex);
        Assert.False(spec.Method.AllLinear);
        Assert.Equal(["classifier"], spec.Method.ModulesToSave);
        Assert.Equal(new DataSpec { Train = "data/train.jsonl", Validation = "data/validation.jsonl" }, spec.Data);
        Assert.Equal(new TrainingSpec
        {
            Epochs = 8, BatchSize = 32, LearningRate = 5.0e-4, WeightDecay = 0.01, WarmupRatio = 0.1, Scheduler = SchedulerType.Linear,
            MaxGradNorm = 1.0, Seed = 42, EarlyStopping = new EarlyStoppingSpec { Metric = "macro_f1", Patience = 2 },
        }, spec.Training);
        Assert.Equal([new SuiteSpec { Name = "intents", Data = "data/test.jsonl" }], spec.Evaluation.Target);
        Assert.Equal(
            [
                new SuiteSpec { Name = "general-similarity", Kind = SuiteKind.EmbeddingSimilarity, Data = "eval/general_pairs.tsv" },
                new SuiteSpec { Name = "off-topic", Kind = SuiteKind.OutOfScope, Data = "eval/off_topic.jsonl" },
            ],
            spec.Evaluation.NonTarget);
        Assert.Equal((CompareTo.Production, 0.95, OnInconclusive.Fail), (spec.Gate.CompareTo, spec.Gate.Confidence, spec.Gate.OnInconclusive));
        Assert.Equal([new GateRule { Metric = "intents.accuracy", Min = 0.90, MinDelta = 0.0 }], spec.Gate.Target);
        Assert.Equal(
            [
                new GateRule { Metric = "general-similarity.spearman", MaxDrop = 0.02 },
                new GateRule { Metric = "off-topic.rejection_rate", MaxDrop = 0.05 },
            ],
            spec.Gate.NonTarget);
        Assert.Equal(folder.Directory, spec.Directory);
        Assert.Equal("adapters/support-intents/adapter.yaml", spec.SourcePath);
        Assert.Equal(folder.Resolve("data/test.jsonl"), spec.Resolve(spec.Evaluation.Target[0].Data));
    }

    [Fact]
    public void Keys_left_out_take_the_records_defaults()
    {
        using var folder = new AdapterFolder();

        var spec = folder.Parse(Minimal);

        var defaults = new AdapterSpec { Name = "x", Data = new DataSpec { Train = "data/train.jsonl" } };
        Assert.Equal(SpecText.Flatten(defaults), SpecText.Flatten(spec));
        Assert.Equal(("builtin:all-MiniLM-L6-v2", 128, MethodType.Lora, 8, 16.0), (spec.BaseModel, spec.Task.MaxLength, spec.Method.Type, spec.Method.R, spec.Method.Alpha));
        Assert.Equal(["query", "value"], spec.Method.TargetModules);
        Assert.Equal((3, 32, 5e-4, SchedulerType.Linear), (spec.Training.Epochs, spec.Training.BatchSize, spec.Training.LearningRate, spec.Training.Scheduler));
        Assert.Null(spec.Training.EarlyStopping);
        Assert.Null(spec.Data.Validation);
        Assert.Equal((CompareTo.Production, 0.95, 2000, OnInconclusive.Fail), (spec.Gate.CompareTo, spec.Gate.Confidence, spec.Gate.BootstrapResamples, spec.Gate.OnInconclusive));
    }

    [Fact]
    public void Target_modules_may_be_a_list_a_regular_expression_or_all_linear()
    {
        using var folder = new AdapterFolder();

        var list = folder.Parse(Minimal + "\nmethod: {target_modules: [query, key, value]}").Method;
        var regex = folder.Parse(Minimal + "\nmethod: {target_modules: '.*\\.(query|value)$'}").Method;
        var allLinear = folder.Parse(Minimal + "\nmethod: {target_modules: all-linear}").Method;

        Assert.Equal(["query", "key", "value"], list.TargetModules);
        Assert.Equal((null, false), (list.TargetModulesRegex, list.AllLinear));
        Assert.Empty(regex.TargetModules);
        Assert.Equal((@".*\.(query|value)$", false), (regex.TargetModulesRegex, regex.AllLinear));
        Assert.Empty(allLinear.TargetModules);
        Assert.Equal((null, true), (allLinear.TargetModulesRegex, allLinear.AllLinear));
    }

    [Theory]
    [InlineData("default", LoraInit.Default)]
    [InlineData("gaussian", LoraInit.Gaussian)]
    [InlineData("none", LoraInit.None)]
    [InlineData("true", LoraInit.Default)]
    [InlineData("false", LoraInit.None)]
    public void Init_accepts_its_names_and_peft_booleans(string text, LoraInit expected)
    {
        using var folder = new AdapterFolder();

        Assert.Equal(expected, folder.Parse(Minimal + $"\nmethod: {{init: {text}}}").Method.Init);
    }

    [Fact]
    public void Enum_values_are_read_as_users_write_them()
    {
        using var folder = new AdapterFolder("x", "data/train.jsonl", "eval/ppl.txt");

        var spec = folder.Parse(Minimal + """

            task: {type: causal-lm}
            method: {type: dora, bias: lora_only, use_rslora: true, rank_pattern: {query: 16}, alpha_pattern: {value: 8.5}, layers_to_transform: [0, 5]}
            training: {scheduler: cosine, max_steps: 100, early_stopping: null}
            evaluation: {target: [{name: general_text, kind: perplexity, data: eval/ppl.txt}]}
            gate: {compare_to: base, on_inconclusive: neutral, target: [{metric: general_text.perplexity, min_delta: -0.5}]}
            """);

        Assert.Equal((TaskType.CausalLm, MethodType.Dora, BiasMode.LoraOnly, true), (spec.Task.Type, spec.Method.Type, spec.Method.Bias, spec.Method.UseRsLora));
        Assert.Equal(16, spec.Method.RankPattern["query"]);
        Assert.Equal(8.5, spec.Method.AlphaPattern["value"]);
        Assert.Equal([0, 5], spec.Method.LayersToTransform);
        Assert.Equal((SchedulerType.Cosine, 100), (spec.Training.Scheduler, spec.Training.MaxSteps));
        Assert.Equal((CompareTo.Base, OnInconclusive.Neutral), (spec.Gate.CompareTo, spec.Gate.OnInconclusive));
        Assert.Equal(SuiteKind.Perplexity, spec.Evaluation.Target[0].Kind);
    }

    [Fact]
    public void Load_reads_adapter_yaml_in_the_folder()
    {
        using var folder = new AdapterFolder();
        File.WriteAllText(Path.Combine(folder.Directory, "adapter.yaml"), Minimal);

        var spec = AdapterSpecLoader.Load(folder.Directory);

        Assert.Equal("x", spec.Name);
        Assert.Equal(Path.Combine(folder.Directory, "adapter.yaml"), spec.SourcePath);
        Assert.Equal(folder.Directory, spec.Directory);
    }

    [Fact]
    public void Load_names_a_missing_spec()
    {
        using var folder = new AdapterFolder();

        var error = Assert.Throws<InputException>(() => AdapterSpecLoader.Load(folder.Directory));

        Assert.Equal($"{Path.Combine(folder.Directory, "adapter.yaml")}: not found (expected an adapter folder holding adapter.yaml)", error.Message);
    }
}
