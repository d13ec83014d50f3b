namespace PeftOps.Configuration.Tests;

public sealed class SpecHashTests
{
    private const string Reordered = """
        # the same spec as the design example: keys reordered, block style, defaults spelled out
        gate:
          on_inconclusive: fail
          non_target:
            - max_drop: 0.02
              metric: general-similarity.spearman
            - {max_drop: 0.05, metric: off-topic.rejection_rate}
          target:
            - {min_delta: 0, min: 0.9, metric: intents.accuracy}
          confidence: 0.950
          compare_to: production
          bootstrap_resamples: 2000
        evaluation:
          non_target:
            - {data: eval/off_topic.jsonl, kind: out-of-scope, name: off-topic}
            - {name: general-similarity, data: eval/general_pairs.tsv, kind: embedding-similarity}
          target: [{name: intents, kind: classification, data: data/test.jsonl}]
        training:
          early_stopping: {patience: 2, metric: macro_f1}
          seed: 42
          max_grad_norm: 1
          scheduler: linear
          warmup_ratio: 0.1
          weight_decay: 0.01
          learning_rate: 0.0005
          batch_size: 32
          epochs: 8
        data:
          validation: data/validation.jsonl
          train: data/train.jsonl
        method:
          modules_to_save: [classifier]
          target_modules:
            - query
            - value
          dropout: 0.1
          alpha: 16.0
          r: 8
          type: lora
        task: {max_length: 64, type: sequence-classification}
        base_model: "builtin:all-MiniLM-L6-v2"
        owner: '@support-ml'
        description: AwesomeShoes Co. customer-support intent classifier
        name: support-intents
        """;

    [Fact]
    public void The_hash_ignores_key_order_formatting_comments_and_spelled_out_defaults()
    {
        using var folder = DesignExample.CreateFolder();

        var hash = SpecHash.Compute(folder.Parse(DesignExample.Yaml));

        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(hash, SpecHash.Compute(folder.Parse(Reordered)));
    }

    [Theory]
    [InlineData("method.r=16")]
    [InlineData("training.learning_rate=1e-3")]
    [InlineData("method.target_modules=[value, query]")]
    [InlineData("gate.non_target[1].max_drop=0.1")]
    [InlineData("data.validation=null")]
    [InlineData("training.gradient_checkpointing=true")]
    [InlineData("training.preserve_embeddings=1.0")]
    public void The_hash_changes_when_a_value_changes(string change)
    {
        using var folder = DesignExample.CreateFolder();

        var before = SpecHash.Compute(folder.Parse(DesignExample.Yaml, "training.early_stopping=null", "evaluation.non_target[1].threshold=0.5"));
        var after = SpecHash.Compute(folder.Parse(DesignExample.Yaml, "training.early_stopping=null", "evaluation.non_target[1].threshold=0.5", change));

        Assert.NotEqual(before, after);
    }

    [Fact]
    public void Gradient_checkpointing_off_leaves_the_hash_of_specs_written_before_the_key()
    {
        using var folder = DesignExample.CreateFolder();
        var spec = folder.Parse(DesignExample.Yaml);

        var spelledOut = folder.Parse(DesignExample.Yaml, "training.gradient_checkpointing=false");

        Assert.False(SpecText.Flatten(spec).ContainsKey("training.gradient_checkpointing"));
        Assert.Equal(SpecHash.Compute(spec), SpecHash.Compute(spelledOut));
    }

    [Fact]
    public void The_hash_ignores_where_the_spec_was_loaded_from()
    {
        using var folder = DesignExample.CreateFolder();
        var spec = folder.Parse(DesignExample.Yaml);

        Assert.Equal(SpecHash.Compute(spec), SpecHash.Compute(spec with { Directory = "/elsewhere", SourcePath = "other.yaml" }));
    }
}
