namespace PeftOps.Configuration.Tests;

public sealed partial class AdapterSpecLoaderTests
{
    private const string RootKeys = "name, description, owner, base_model, task, method, data, training, evaluation, scope, gate, data_checks, compare";

    [Fact]
    public void An_unknown_key_is_an_error_that_lists_the_known_ones()
    {
        using var folder = new AdapterFolder();

        var message = folder.Errors(Minimal + "\nmethd: {r: 4}");

        Assert.Equal($"adapters/x/adapter.yaml:3: unknown key 'methd' (expected one of: {RootKeys})", message);
    }

    [Fact]
    public void An_unknown_nested_key_is_named_by_its_path()
    {
        using var folder = new AdapterFolder();

        var message = folder.Errors(Minimal + "\nmethod:\n  type: lora\n  rank: 4");

        Assert.Equal(
            "adapters/x/adapter.yaml:5: unknown key 'method.rank' (expected one of: type, r, alpha, dropout, use_rslora, init, " +
            "target_modules, feedforward_modules, modules_to_save, bias, layers_to_transform, rank_pattern, alpha_pattern)",
            message);
    }

    [Theory]
    [InlineData("method: {r: eight}", "method.r must be an integer (was eight)")]
    [InlineData("method: {r: 2.5}", "method.r must be an integer (was 2.5)")]
    [InlineData("method: {alpha: [16]}", "method.alpha must be a number (was a list)")]
    [InlineData("method: {use_rslora: yes}", "method.use_rslora must be true or false (was yes)")]
    [InlineData("method: {type: lorax}", "method.type must be one of: lora, dora, ia3 (was lorax)")]
    [InlineData("method: {target_modules: {query: 1}}", "method.target_modules must be a list of module names, all-linear or a regular expression (was a mapping)")]
    [InlineData("method: {target_modules: '(query'}", "method.target_modules must be a valid regular expression (was (query)")]
    [InlineData("method: {target_modules: []}", "method.target_modules must name at least one module, or be all-linear or a regular expression (was [])")]
    [InlineData("method: {layers_to_transform: [0, x]}", "method.layers_to_transform[1] must be an integer (was x)")]
    [InlineData("method: {rank_pattern: {query: 0}}", "method.rank_pattern[query] must be > 0 (was 0)")]
    [InlineData("task: {type: token-classification}", "task.type must be one of: sequence-classification, causal-lm (was token-classification)")]
    [InlineData("task: {labels: [a, b, a]}", "task.labels[2] must not repeat an earlier item (was a)")]
    [InlineData("training: {scheduler: step}", "training.scheduler must be one of: linear, cosine, constant (was step)")]
    [InlineData("training: 3", "training must be a mapping with keys epochs, max_steps, batch_size, gradient_accumulation_steps, learning_rate, weight_decay, warmup_ratio, scheduler, max_grad_norm, gradient_checkpointing, preserve_embeddings, seed, early_stopping, checkpoint_every (was 3)")]
    [InlineData("gate: {compare_to: staging}", "gate.compare_to must be one of: production, base (was staging)")]
    [InlineData("gate: {on_inconclusive: skip}", "gate.on_inconclusive must be one of: fail, pass, neutral (was skip)")]
    public void A_value_of_the_wrong_type_is_an_error(string line, string expected)
    {
        using var folder = new AdapterFolder();

        Assert.Equal($"adapters/x/adapter.yaml:3: {expected}", folder.Errors(Minimal + "\n" + line));
    }

    [Theory]
    [InlineData("method: {r: 0}", "method.r must be > 0 (was 0)")]
    [InlineData("method: {alpha: -1}", "method.alpha must be > 0 (was -1)")]
    [InlineData("method: {dropout: 1}", "method.dropout must be >= 0 and < 1 (was 1)")]
    [InlineData("method: {dropout: -0.1}", "method.dropout must be >= 0 and < 1 (was -0.1)")]
    [InlineData("task: {max_length: 0}", "task.max_length must be >= 1 (was 0)")]
    [InlineData("training: {learning_rate: 0}", "training.learning_rate must be > 0 (was 0)")]
    [InlineData("training: {batch_size: 0}", "training.batch_size must be >= 1 (was 0)")]
    [InlineData("training: {warmup_ratio: 1.5}", "training.warmup_ratio must be >= 0 and < 1 (was 1.5)")]
    [InlineData("training: {max_steps: 0}", "training.max_steps must be >= 1 (was 0)")]
    [InlineData("training: {checkpoint_every: -1}", "training.checkpoint_every must be >= 0 (was -1)")]
    [InlineData("training: {gradient_checkpointing: yes}", "training.gradient_checkpointing must be true or false (was yes)")]
    [InlineData("training: {preserve_embeddings: 0}", "training.preserve_embeddings must be > 0 (was 0)")]
    [InlineData("gate: {confidence: 1}", "gate.confidence must be > 0 and < 1 (was 1)")]
    [InlineData("gate: {bootstrap_resamples: 0}", "gate.bootstrap_resamples must be >= 1 (was 0)")]
    [InlineData("name: X_Y", "name must be a lowercase slug (a-z, 0-9, single hyphens, like support-intents) (was X_Y)")]
    public void A_value_out_of_range_is_an_error(string line, string expected)
    {
        using var folder = new AdapterFolder();
        var yaml = line.StartsWith("name:", StringComparison.Ordinal) ? "data: {train: data/train.jsonl}\n\n" + line : Minimal + "\n" + line;

        Assert.Equal($"adapters/x/adapter.yaml:3: {expected}", folder.Errors(yaml));
    }

    [Fact]
    public void Every_error_is_reported_at_once_in_line_order()
    {
        using var folder = new AdapterFolder();

        var message = folder.Errors("""
            name: y
            method:
              r: 0
              dropout: 2
              methd: 1
            data:
              validation: data/validation.jsonl
            training: {epochs: two}
            """);

        Assert.Equal(
            string.Join('\n',
                "adapters/x/adapter.yaml:1: name must match the adapter's folder name 'x' (was y)",
                "adapters/x/adapter.yaml:3: method.r must be > 0 (was 0)",
                "adapters/x/adapter.yaml:4: method.dropout must be >= 0 and < 1 (was 2)",
                "adapters/x/adapter.yaml:5: unknown key 'method.methd' (expected one of: type, r, alpha, dropout, use_rslora, init, target_modules, " +
                    "feedforward_modules, modules_to_save, bias, layers_to_transform, rank_pattern, alpha_pattern)",
                "adapters/x/adapter.yaml:7: data.train is required",
                $"adapters/x/adapter.yaml:7: data.validation must be an existing file, relative to the adapter folder (was data/validation.jsonl; {folder.Resolve("data/validation.jsonl")} does not exist)",
                "adapters/x/adapter.yaml:8: training.epochs must be an integer (was two)"),
            message);
    }

    [Fact]
    public void A_missing_data_file_names_the_key_and_the_path()
    {
        using var folder = new AdapterFolder("x", "data/other.jsonl");

        var message = folder.Errors(Minimal);

        Assert.Equal(
            $"adapters/x/adapter.yaml:2: data.train must be an existing file, relative to the adapter folder (was data/train.jsonl; {folder.Resolve("data/train.jsonl")} does not exist)",
            message);
    }

    [Fact]
    public void A_missing_required_section_names_its_required_keys()
    {
        using var folder = new AdapterFolder();

        Assert.Equal("adapters/x/adapter.yaml:1: data.train is required", folder.Errors("name: x\n"));
        Assert.Equal("adapters/x/adapter.yaml:1: name is required", folder.Errors("data: {train: data/train.jsonl}\n"));
    }

    [Fact]
    public void Text_that_is_not_yaml_or_not_a_mapping_is_one_error()
    {
        using var folder = new AdapterFolder();

        Assert.StartsWith("adapters/x/adapter.yaml:2: not valid YAML: ", folder.Errors("name: x\ndata: {train: [}\n"), StringComparison.Ordinal);
        Assert.Equal($"adapters/x/adapter.yaml:1: the spec is empty (expected a mapping with keys {RootKeys})", folder.Errors("# nothing\n"));
        Assert.Equal($"adapters/x/adapter.yaml:1: the spec must be a mapping with keys {RootKeys}", folder.Errors("- name: x\n"));
    }

    [Fact]
    public void Preserving_embeddings_applies_only_to_classifiers()
    {
        using var folder = new AdapterFolder();

        var message = folder.Errors(Minimal + "\ntask: {type: causal-lm}\ntraining: {preserve_embeddings: 1.0}");

        Assert.Equal("adapters/x/adapter.yaml:4: training.preserve_embeddings applies only to task.type sequence-classification, " +
            "whose encoder makes sentence embeddings (was causal-lm)", message);
    }

    [Theory]
    [InlineData("method: {type: ia3, layers_to_transform: [3, 4, 5]}", "layers_to_transform")]
    [InlineData("method: {type: ia3, rank_pattern: {query: 4}}", "rank_pattern")]
    [InlineData("method: {type: ia3, alpha_pattern: {query: 4}}", "alpha_pattern")]
    [InlineData("method: {type: ia3, bias: all}", "bias")]
    public void Ia3_refuses_what_its_peft_config_cannot_say(string line, string key)
    {
        using var folder = new AdapterFolder();

        var message = folder.Errors(Minimal + "\n" + line);

        Assert.Equal($"adapters/x/adapter.yaml:3: method.{key} applies to types lora and dora only: PEFT's IA3 adapter_config.json has no such field (was type ia3 with {key} set)", message);
    }
}
