namespace PeftOps.Cli.Tests;

/// <summary>Spec values that only the base model can judge: refused by <c>spec validate</c> where its config is readable, and by <c>train</c> before anything is allocated or written.</summary>
[Collection(CliCollection.Name)]
public sealed class ModelFitTests : IDisposable
{
    private readonly BadInputRun run = new();

    public void Dispose() => run.Dispose();

    [Fact]
    public async Task A_rank_larger_than_the_base_model_is_refused_by_validate_and_by_train()
    {
        run.EditSpec("r: 4", "r: 1000000000");

        var validated = await run.Validate();
        var trained = await run.Train();

        var expected = $"peftops: {run.Spec}:4: method.r must be at most 32, the hidden size of base_model {run.Model} (was 1000000000)\n";
        BadInputRun.AssertBadInput(expected, validated);
        BadInputRun.AssertBadInput(expected, trained);
        run.AssertNothingWritten();
    }

    [Fact]
    public async Task A_model_too_big_for_memory_is_bad_input_before_anything_is_written()
    {
        // 2^23 x 2^23 word embeddings: 256 TiB of float32, more than any process can map.
        var config = Path.Combine(run.Model, "config.json");
        var text = File.ReadAllText(config);
        foreach (var (from, to) in new[] { ("\"hidden_size\": 32", "\"hidden_size\": 8388608"), ("\"vocab_size\": 512", "\"vocab_size\": 8388608"), ("\"max_position_embeddings\": 64", "\"max_position_embeddings\": 1") })
        {
            Assert.Contains(from, text, StringComparison.Ordinal);
            text = text.Replace(from, to, StringComparison.Ordinal);
        }
        File.WriteAllText(config, text);

        var result = await run.Train();

        BadInputRun.AssertBadInput($"peftops: {run.Spec}:2: base_model {run.Model} does not fit in memory on cpu " +
            "(DefaultCPUAllocator: can't allocate memory: you tried to allocate 281474976710656 bytes. Error code 12 (Cannot allocate memory))\n", result);
        run.AssertNothingWritten();
    }

    [Fact]
    public async Task Layers_the_base_model_does_not_have_are_refused_by_validate_and_by_train()
    {
        run.EditSpec("target_modules: [query, value]", "target_modules: [query, value], layers_to_transform: [0, 1, 50]");

        var validated = await run.Validate();
        var trained = await run.Train();

        var expected = $"peftops: {run.Spec}:4: method.layers_to_transform[2] must be a layer of base_model {run.Model}, 0 to 1 (was 50)\n";
        BadInputRun.AssertBadInput(expected, validated);
        BadInputRun.AssertBadInput(expected, trained);
        run.AssertNothingWritten();
    }

    [Fact]
    public async Task Layers_are_checked_against_the_builtin_model_without_loading_it()
    {
        run.EditSpec($"base_model: {run.Model}", "base_model: builtin:all-MiniLM-L6-v2");
        run.EditSpec("target_modules: [query, value]", "target_modules: [query, value], layers_to_transform: [3, 4, 50]");

        BadInputRun.AssertBadInput($"peftops: {run.Spec}:4: method.layers_to_transform[2] must be a layer of base_model builtin:all-MiniLM-L6-v2, 0 to 5 (was 50)\n",
            await run.Validate());
    }

    [Fact]
    public async Task Target_modules_that_match_nothing_leave_no_run_folder()
    {
        var result = await run.Train("--set", "method.target_modules=[nothing]");

        BadInputRun.AssertBadInput("peftops: --set method.target_modules: target_modules [nothing] match no linear layer of the base model " +
            "(its layers end in: classifier, dense, key, query, value)\n", result);
        run.AssertNothingWritten();
    }
}
